"""Validators for the official schemas packaged in delivery/formats/schemas (no network)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import referencing
from lxml import etree
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).parent / "schemas"
GEOJSON_URI = "https://geojson.org/schema/GeoJSON.json"
NINJS_SCHEMAS = {2: "ninjs-schema_2.2.json", 3: "ninjs-schema_3.1.json"}
NEWSML_G2_XSD = "NewsML-G2_2.35-spec-All-Power.xsd"
# IPTC's wrapper importing NewsML-G2 2.35 and W3C ODRL 2.2, for items whose rightsInfo
# embeds an ODRL policy (rightsExpressionXML): the G2 schema alone demands its declaration.
NEWSML_G2_WITH_ODRL_XSD = "G2-multi-schema-2.35.xsd"


def _load_json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / name).read_text("utf-8"))
    return data


@cache
def ninjs_validator(generation: int) -> jsonschema.Draft202012Validator:
    """Return a validator for ninjs 2.x (the 2.2 schema) or 3.x (the 3.1 schema)."""
    geojson = DRAFT202012.create_resource(_load_json("GeoJSON-schema.json"))
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(GEOJSON_URI, geojson)
    return jsonschema.Draft202012Validator(
        _load_json(NINJS_SCHEMAS[generation]),
        registry=registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


@cache
def newsml_g2_schema() -> etree.XMLSchema:
    """Return the NewsML-G2 2.35 All-Power schema (xml.xsd is resolved beside it)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / NEWSML_G2_XSD)))


@cache
def newsml_g2_odrl_schema() -> etree.XMLSchema:
    """Return NewsML-G2 2.35 together with ODRL 2.2, for rights expressed in ODRL."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / NEWSML_G2_WITH_ODRL_XSD)))
