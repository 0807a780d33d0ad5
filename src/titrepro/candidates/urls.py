from django.urls import path

from titrepro.candidates import views

app_name = "candidates"
urlpatterns = [
    path("", views.simulator, name="simulator"),
]
