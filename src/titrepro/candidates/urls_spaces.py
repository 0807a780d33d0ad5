from django.urls import URLPattern, URLResolver

app_name = "spaces"
urlpatterns: list[URLPattern | URLResolver] = []
