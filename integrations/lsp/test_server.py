"""`dfharden server` driven by a real LSP client (pytest-lsp, on pygls): open a Dockerfile,
receive diagnostics, hover, apply a quick fix and the fix-all action, and see an edited
dfharden.toml taken into account. The binary is $DFHARDEN."""

import os
import pathlib

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

DFHARDEN = os.environ.get("DFHARDEN", "dfharden")
TEXT = 'FROM ubuntu:latest\nRUN apt-get update && apt-get install -y curl\nCMD ["curl", "--version"]\n'


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[DFHARDEN, "server"]))
async def client(lsp_client: LanguageClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    params = types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=root.as_uri())
    await lsp_client.initialize_session(params)
    lsp_client.project = root
    yield
    await lsp_client.shutdown_session()


async def open_document(client: LanguageClient, text: str, name: str = "Dockerfile"):
    path = pathlib.Path(client.project) / name
    path.write_text(text)
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=text)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


def apply(text: str, edits) -> str:
    """Applies LSP text edits (0-based lines, UTF-16 columns; ASCII here) to `text`."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def at(position):
        return starts[position.line] + position.character if position.line < len(lines) else len(text)

    for edit in sorted(edits, key=lambda e: at(e.range.start), reverse=True):
        text = text[: at(edit.range.start)] + edit.new_text + text[at(edit.range.end) :]
    return text


def code(diagnostic) -> str:
    return diagnostic.code if isinstance(diagnostic.code, str) else str(diagnostic.code)


async def test_diagnostics_with_codes_severities_and_ranges(client: LanguageClient):
    uri = await open_document(client, TEXT)
    diagnostics = client.diagnostics[uri]
    codes = {code(d) for d in diagnostics}
    assert {"DH101", "DH201", "DH301", "DH302"} <= codes, codes
    dh301 = next(d for d in diagnostics if code(d) == "DH301")
    assert dh301.severity == types.DiagnosticSeverity.Warning
    assert dh301.source == "dfharden"
    # `apt-get install -y curl` on line 2 (0-based 1), from the `apt-get` of the install.
    assert (dh301.range.start.line, dh301.range.start.character) == (1, 22), dh301.range
    dh201 = next(d for d in diagnostics if code(d) == "DH201")
    assert dh201.range.start.line == 0 and dh201.range.start.character == 5, dh201.range


async def test_hover_explains_the_rule(client: LanguageClient):
    uri = await open_document(client, TEXT)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=1, character=30))
    )
    assert hover is not None
    assert "DH301" in hover.contents.value and "Why is this bad?" in hover.contents.value


async def test_quick_fix_and_fix_all(client: LanguageClient):
    uri = await open_document(client, TEXT)
    diagnostics = client.diagnostics[uri]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=1, character=0), end=types.Position(line=1, character=10)),
            context=types.CodeActionContext(diagnostics=list(diagnostics)),
        )
    )
    titles = [a.title for a in actions]
    quick = next(a for a in actions if a.title.startswith("DH302:"))
    assert quick.kind == types.CodeActionKind.QuickFix and quick.is_preferred, titles
    fixed = apply(TEXT, quick.edit.changes[uri])
    assert "rm -rf /var/lib/apt/lists/*" in fixed, fixed
    unsafe = next(a for a in actions if a.title.startswith("DH301:"))
    assert unsafe.title.endswith("(unsafe fix)") and not unsafe.is_preferred
    fix_all = next(a for a in actions if a.kind == types.CodeActionKind.SourceFixAll)
    rewritten = apply(TEXT, fix_all.edit.changes[uri])
    assert "\nUSER " in rewritten and "--no-install-recommends" in rewritten, rewritten
    # Only the fix-all action when that is all the client asks for.
    only = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert [a.kind for a in only] == [types.CodeActionKind.SourceFixAll]


async def test_configuration_is_read_again_on_change(client: LanguageClient):
    uri = await open_document(client, TEXT, "svc.Dockerfile")
    assert "DH101" in {code(d) for d in client.diagnostics[uri]}
    (pathlib.Path(client.project) / "dfharden.toml").write_text('ignore = ["DH101"]\n')
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=TEXT)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert "DH101" not in {code(d) for d in client.diagnostics[uri]}
    (pathlib.Path(client.project) / "dfharden.toml").unlink()
