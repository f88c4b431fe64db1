"""What routes and pages take from a request: the settings, the live Engine, search filters and
checked query text. A missing index becomes a 503 here, so no route has to check for one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from pydantic import BeforeValidator

from api.errors import ParameterError, UnavailableError
from rag.config import Mode, Settings
from rag.engine import Engine
from rag.retrieval import Filters
from rag.tokens import clean_query


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_engine(request: Request) -> Engine:
    """The app's Engine; 503 (saying how to build an index when none was) when none is loaded."""
    engine = request.app.state.engine
    if engine is None:
        state = request.app.state
        raise UnavailableError(state.index_error, state.index_public_error)
    return engine


def _none_if_blank(value: object) -> object:
    return None if value == "" else value


# An empty value (what an "Any" choice of the search form sends) means "not given".
BlankIsNone = BeforeValidator(_none_if_blank)
ModeParam = Annotated[Mode | None, BlankIsNone]


def get_filters(
    outcome: Annotated[
        str | None, BlankIsNone, Query(description="upheld or overturned (any case)")
    ] = None,
    source: Annotated[
        str | None, BlankIsNone, Query(description="guideline source: MTUS, ODG, ACOEM, OTHER")
    ] = None,
    section: Annotated[str | None, Query(description="MTUS section (substring)")] = None,
    specialty: Annotated[str | None, Query(description="reviewer specialty (substring)")] = None,
    year: Annotated[int | None, BlankIsNone, Query(description="decision year, e.g. 2017")] = None,
    treatment: Annotated[str | None, Query(description="disputed treatment or a synonym")] = None,
) -> Filters:
    """Search filters from the query string; Filters rejects unknown values, by name (400)."""
    return Filters(
        outcome=outcome,
        source=source,
        section=section,
        specialty=specialty,
        year=year,
        treatment=treatment,
    )


def checked_text(value: str, parameter: str, max_chars: int) -> str:
    """`value` unchanged if it has a letter or digit and at most `max_chars` characters, else
    ParameterError."""
    if not clean_query(value):
        raise ParameterError(
            parameter,
            "must contain a letter or digit (it is empty, or only spaces, punctuation or "
            "invisible characters)",
        )
    if len(value) > max_chars:
        raise ParameterError(parameter, f"is {len(value)} characters long; at most {max_chars}")
    return value


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
FiltersDep = Annotated[Filters, Depends(get_filters)]
