"""The one-time code that confirms a signing on the applicant's own phone: sent, then typed.

No `from __future__ import annotations`: FastAPI reads the dependency annotations at run time."""

from fastapi import APIRouter

router = APIRouter()
