"""Typed keys for what the web app holds (aiohttp AppKey)."""

from aiohttp import web

from directory.repository import Directory
from web.users import UserStore

DIRECTORY = web.AppKey("directory", Directory)
USERS = web.AppKey("users", UserStore)
SENDER = web.AppKey("sender", object)
RASA = web.AppKey("rasa_url", str)
RASA_TOKEN = web.AppKey("rasa_token", str)
