"""Liveness and readiness: is the process up, and can it reach its database and bus?"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from newswire.api.deps import RuntimeDep

router = APIRouter(tags=["health"])


async def _checks(runtime: Any) -> dict[str, str]:
    checks: dict[str, str] = {}
    for name, target in (("database", runtime.storage), ("bus", runtime.bus)):
        try:
            await target.ping()
            checks[name] = "ok"
        except Exception as error:  # any failure means "not ready"; report it
            checks[name] = f"unavailable: {type(error).__name__}: {error}"[:300]
    return checks


@router.get("/healthz", responses={503: {"description": "Database or bus unavailable"}})
async def healthz(runtime: RuntimeDep) -> JSONResponse:
    """Answer 200 when the database and the bus answer, 503 otherwise, with each check's result."""
    checks = await _checks(runtime)
    ready = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": checks,
        "log_seq": runtime.bus.latest,
    }
    return JSONResponse(body, status_code=200 if ready else 503)


@router.get("/readyz", responses={503: {"description": "Database unavailable"}})
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    """Answer 200 while this node can serve requests: the database answers (bus may be degraded).

    For load balancers: without the bus a node still serves every request and
    its streams still advance by polling the log, only up to a second later.
    A background job of this node that failed in the last minute (and keeps
    failing) also makes it `degraded`, with a `job:<name>` check saying why.
    """
    checks = await _checks(runtime)
    failing = runtime.job_health.failing()
    checks.update({f"job:{name}": state for name, state in failing.items()})
    ready = checks["database"] == "ok"
    degraded = ready and (checks["bus"] != "ok" or bool(failing))
    status = "degraded" if degraded else "ok" if ready else "unavailable"
    return JSONResponse({"status": status, "checks": checks}, status_code=200 if ready else 503)


@router.get("/livez")
async def livez() -> dict[str, str]:
    """Answer 200 while the process serves requests (no dependency is checked)."""
    return {"status": "ok"}
