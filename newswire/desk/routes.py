"""The desk's routes, joined: pages, actions and the live stream (each its own handler module)."""

from __future__ import annotations

from fastapi import APIRouter

from newswire.desk import actions, events, pages, picture_pages, setup

desk_router = APIRouter()
for _router in (pages.router, actions.router, events.router, setup.router, picture_pages.router):
    desk_router.include_router(_router)
