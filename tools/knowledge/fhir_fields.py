"""List the elements of HL7 FHIR R4B resources, their FHIR types and required code values.

A development aid for ``synth_magic/planner/knowledge/tables/std_fhir.toml``: the field
lists and the value sets of required bindings (``status``, ``intent``, ``gender``...) come
from the resource definitions that the ``fhir.resources`` package ships (install it in a
development venv only: ``pip install fhir.resources``; it is not a dependency).

    python tools/knowledge/fhir_fields.py Patient Observation ...
"""

from __future__ import annotations

import importlib
import re
import sys

DEFAULT = ("Patient", "Encounter", "Observation", "Condition", "Procedure", "MedicationRequest", "Immunization",
           "AllergyIntolerance", "DiagnosticReport", "Claim", "Coverage", "Practitioner", "Organization",
           "Appointment", "Location", "CarePlan", "ServiceRequest", "MedicationAdministration", "Device",
           "DocumentReference", "ExplanationOfBenefit", "Specimen", "Goal", "PractitionerRole", "Slot",
           "MedicationStatement", "FamilyMemberHistory", "CareTeam", "Consent", "Composition")
SKIP = {"fhir_comments", "id", "implicitRules", "language", "meta", "contained", "extension",
        "modifierExtension", "text", "resource_type"}


def _type(annotation: object) -> str:
    text = str(annotation)
    m = re.search(r"abc\.(\w+)Type", text)
    if m:
        return m.group(1)
    m = re.search(r"(\w+)\(", text)
    if m:
        return m.group(1)
    return re.sub(r"typing\.|Optional|\[|\]|None|\|", "", text).strip() or text


def describe(resource: str) -> list[str]:
    module = importlib.import_module(f"fhir.resources.R4B.{resource.lower()}")
    model = getattr(module, resource)
    lines = [f"# {resource}  (https://hl7.org/fhir/R4B/{resource.lower()}.html)"]
    for name, f in model.model_fields.items():
        if name in SKIP or name.endswith("__ext"):
            continue
        extra = f.json_schema_extra or {}
        many = "List[" in str(f.annotation)
        values = extra.get("enum_values")
        lines.append(f"  {name:32s} {_type(f.annotation)}{'[]' if many else ''}"
                     + (f"  values={values}" if values else "")
                     + ("  (required)" if extra.get("element_required") else ""))
    return lines


def main() -> None:
    for resource in sys.argv[1:] or DEFAULT:
        print("\n".join(describe(resource)))


if __name__ == "__main__":
    main()
