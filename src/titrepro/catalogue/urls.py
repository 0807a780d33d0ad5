from django.urls import path

from titrepro.catalogue import simulator, views

app_name = "catalogue"
urlpatterns = [
    path("", views.home, name="home"),
    path("simuler/", simulator.simulator, name="simulator"),
    path("titres/", views.title_list, name="title_list"),
    path("titres/<str:code>/", views.title_detail, name="title_detail"),
    path("titres/<str:code>/versions/<str:label>/", views.version_detail, name="version_detail"),
]
