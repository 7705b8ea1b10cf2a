"""The web app: Swedish server-rendered pages plus the JSON API."""
