"""Proof that the registry scales: a fourth flavour from only a registry entry and an overlay.

In a temporary copy of what generation reads (openapi.yaml, overlays/, codegen/, tools/), the
test adds a fictional flavour `fourth` (an entry in `x-green-api-flavours` and
overlays/fourth.overlay.yaml, reusing the Telegram-shaped components), runs the real generation
chain there, and then, in a fresh interpreter that sees the temporary generated tree first:
finds the flavour through green_api_contacts.flavours, imports its client package, models and
Structs, and calls the generated client against an httpx.MockTransport that answers with the
flavour document's own examples; then serves it from green_api_contacts.mock (create_app with a
MockInstance of the new flavour, over loopback, under both of its path prefixes) and calls that
with the generated client too. The mock has no code for the new flavour: its contact book is the
generic shape derived from the flavour's generated Structs and registry entry.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tools.generate import ROOT

ENTRY = """\
  fourth:
    title: Fourth
    classPrefix: Fourth
    typeInstance: fourth
    apiUrl: https://fourth.api.green-api.example/v9
    pathPrefixes: ['', /v9]
    idInstance: {minimum: 1, maximum: 9999999999, example: 9900000001}
    mockToken: 0123456789abcdef0123456789abcdef0123456789abcdef01
    chatId:
      schema: '#/components/schemas/TelegramChatId'
      description: a numeric user id
      user: '42'
      group: '-42'
      groupPattern: ^-[0-9]{1,20}$
    groupContactInfo: {status: 400, message: Validation failed}
    validation: go
"""

CHECK = textwrap.dedent(
    """
    import json, sys
    import httpx
    import msgspec
    import yaml
    from green_api_contacts.flavours import FLAVOURS, OPERATIONS, get_flavour

    generated = sys.argv[1]
    flavour = get_flavour("FOURTH")
    assert list(FLAVOURS)[-1] == "fourth", list(FLAVOURS)
    assert flavour.api_url.endswith("/v9") and flavour.path_prefixes == ("", "/v9")
    assert flavour.is_chat_id("42") and not flavour.is_chat_id("-42")
    assert flavour.options["getContacts"] == ("count",)
    doc = yaml.safe_load(open(f"{generated}/{flavour.document}", encoding="utf-8"))
    assert doc["info"]["title"] == "GREEN-API contacts (Fourth)"

    def example(ref):
        kind, name = ref.removeprefix("#/components/").split("/")
        content = doc["components"][kind][name]["content"]["application/json"]
        value = next(iter(content["examples"].values()))
        return doc["components"]["examples"][value["$ref"].rsplit("/", 1)[-1]]["value"]

    answers = {}
    for op in OPERATIONS.values():
        operation = doc["paths"][op.path][op.http_method.lower()]
        answers[op.name] = example(operation["responses"]["200"]["$ref"])
    info_operation = doc["paths"][OPERATIONS["getContactInfo"].path]["post"]
    request_body = example(info_operation["requestBody"]["$ref"])
    seen = []

    def handler(request):
        seen.append(request)
        for op in OPERATIONS.values():
            path = op.url_path(flavour.id_instance_example, flavour.mock_token, "/v9")
            if request.url.path == path and request.method == op.http_method:
                return httpx.Response(200, json=answers[op.name])
        return httpx.Response(404, text="Not Found")

    package = flavour.client()
    client = package.Client(
        base_url=flavour.api_url, httpx_args={"transport": httpx.MockTransport(handler)}
    )
    models = flavour.client("models")
    contacts = flavour.client("api.contacts.get_contacts").sync_detailed(
        flavour.id_instance_example, flavour.mock_token, client=client, count=2
    )
    assert contacts.status_code == 200, contacts
    assert [c.to_dict() for c in contacts.parsed] == answers["getContacts"]
    body = getattr(models, flavour.request_struct).from_dict(request_body)
    info = flavour.client("api.contacts.get_contact_info").sync_detailed(
        flavour.id_instance_example, flavour.mock_token, client=client, body=body
    )
    assert info.status_code == 200 and info.parsed.to_dict() == answers["getContactInfo"]
    assert json.loads(seen[-1].content) == request_body and seen[0].url.params["count"] == "2"

    structs = flavour.structs()
    raw = json.dumps(answers["getContacts"]).encode()
    items = msgspec.json.decode(raw, type=list[getattr(structs, flavour.contact_struct)])
    ids = [a[flavour.contact_id_field] for a in answers["getContacts"]]
    assert [msgspec.to_builtins(i)[flavour.contact_id_field] for i in items] == ids
    info_model = getattr(flavour.models(), flavour.info_struct)
    pyd = info_model.model_validate(answers["getContactInfo"])
    dumped = pyd.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped == answers["getContactInfo"]

    from green_api_contacts.mock import BackgroundServer, MockInstance, create_app
    from green_api_contacts.mock._book import SHAPES

    assert "fourth" not in SHAPES  # no mock code for it: the generic shape serves it
    instance = MockInstance(flavour.id_instance_example, flavour.mock_token, "Fourth", contacts=6)
    served = []
    with BackgroundServer(create_app([instance])) as server:
        for prefix in flavour.path_prefixes:
            mock_client = package.Client(base_url=server.url + prefix)
            listed = flavour.client("api.contacts.get_contacts").sync_detailed(
                flavour.id_instance_example, flavour.mock_token, client=mock_client, count=2
            )
            assert listed.status_code == 200, listed
            everything = json.loads(listed.content)
            assert len(listed.parsed) == 2 and len(everything) == 2
            chat_id = everything[-1][flavour.contact_id_field]
            assert flavour.is_chat_id(chat_id)
            asked = getattr(models, flavour.request_struct).from_dict({"chatId": chat_id})
            info = flavour.client("api.contacts.get_contact_info").sync_detailed(
                flavour.id_instance_example, flavour.mock_token, client=mock_client, body=asked
            )
            assert info.status_code == 200, info
            assert info.parsed.to_dict()["chatId"] == chat_id
            assert info.parsed.to_dict()["name"] == everything[-1]["name"]
            group = getattr(models, flavour.request_struct).from_dict({"chatId": "-42"})
            refused = flavour.client("api.contacts.get_contact_info").sync_detailed(
                flavour.id_instance_example, flavour.mock_token, client=mock_client, body=group
            )
            assert refused.status_code == flavour.group_info_status, refused
            served.append(prefix)
    assert served == list(flavour.path_prefixes)
    print("fourth flavour: generated, imported and called;", len(items), "contacts")
    print("fourth flavour: served by the mock under", served)
    """
)


def _copy_inputs(into: Path) -> None:
    """Exactly what generation reads; nothing of src/ (the runtime comes from the real tree)."""
    for name in ("openapi.yaml",):
        shutil.copy2(ROOT / name, into / name)
    for folder in ("overlays", "codegen", "tools"):
        shutil.copytree(ROOT / folder, into / folder, ignore=shutil.ignore_patterns("__pycache__"))


def _add_flavour(repo: Path) -> None:
    source = repo / "openapi.yaml"
    text = source.read_text(encoding="utf-8")
    anchor = "\nservers:\n"
    assert text.count(anchor) == 1 and "x-green-api-flavours:\n" in text
    source.write_text(text.replace(anchor, f"\n{ENTRY}servers:\n"), encoding="utf-8")
    overlay = (repo / "overlays" / "telegram.overlay.yaml").read_text(encoding="utf-8")
    overlay = overlay.replace("(Telegram)", "(Fourth)").replace("The Telegram flavour", "Fourth")
    (repo / "overlays" / "fourth.overlay.yaml").write_text(overlay, encoding="utf-8")


@pytest.mark.slow
def test_a_fourth_flavour_needs_only_its_registry_entry_and_its_overlay(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _copy_inputs(repo)
    _add_flavour(repo)
    changed = sorted(
        p.relative_to(repo).as_posix()
        for p in repo.rglob("*")
        if p.is_file() and not (ROOT / p.relative_to(repo)).is_file()
    )
    assert changed == ["overlays/fourth.overlay.yaml"]

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    generated = subprocess.run(
        [sys.executable, "-m", "tools.generate"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    tree = repo / "generated"
    package = tree / "green_api_contacts" / "generated"
    assert (tree / "fourth.openapi.yaml").is_file()
    assert (package / "fourth_client" / "api" / "contacts" / "get_contacts.py").is_file()
    assert (package / "fourth_structs.py").is_file() and (package / "fourth_models.py").is_file()
    assert "'fourth'" in (package / "registry.py").read_text(encoding="utf-8").replace('"', "'")

    # The fresh interpreter sees the temporary generated tree before the real one.
    env["PYTHONPATH"] = str(tree)
    checked = subprocess.run(
        [sys.executable, "-c", CHECK, str(tree)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert "fourth flavour: generated, imported and called; 3 contacts" in checked.stdout
    assert "fourth flavour: served by the mock under ['', '/v9']" in checked.stdout
