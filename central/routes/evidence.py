"""Evidence a device sends before its applications: which documents the lender lacks, and the bank's check of
a repayment card's four elements.

No `from __future__ import annotations`: FastAPI reads the dependency annotations at run time."""

from fastapi import APIRouter

router = APIRouter()
