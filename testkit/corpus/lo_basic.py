"""LibreOffice saving what ``--convert-to`` cannot: a document with a password to open it
("Save with password"), or with a Basic macro in it (a spreadsheet carrying code).

A Basic macro of ours, in a private profile, loads the file and stores it through the given
filter. LibreOffice writes its default macro library over the profile on first start, so the
profile is started once before our macros are put in place.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from testkit.corpus.libreoffice import TIMEOUT_SECONDS, program

_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
_LIBRARY = "http://openoffice.org/2000/library"
_MODULE = f"""{_HEADER}<script:module xmlns:script="http://openoffice.org/2000/script"
 script:name="Save" script:language="StarBasic">
Function Opened(source As String) As Object
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = "Hidden" : hidden(0).Value = True
  Opened = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, hidden())
End Function

Sub WithPassword(source As String, target As String, filter As String, secret As String)
  document = Opened(source)
  Dim options(1) As New com.sun.star.beans.PropertyValue
  options(0).Name = "FilterName" : options(0).Value = filter
  options(1).Name = "Password" : options(1).Value = secret
  document.storeToURL(ConvertToURL(target), options())
  document.close(True)
End Sub

Sub WithMacro(source As String, target As String, filter As String, code As String)
  document = Opened(source)
  libraries = document.BasicLibraries
  If Not libraries.hasByName("Standard") Then libraries.createLibrary("Standard")
  libraries.getByName("Standard").insertByName("Module1", code)
  Dim options(0) As New com.sun.star.beans.PropertyValue
  options(0).Name = "FilterName" : options(0).Value = filter
  document.storeToURL(ConvertToURL(target), options())
  document.close(True)
End Sub
</script:module>
"""
_SCRIPT_LIBRARY = f"""{_HEADER}<library:library xmlns:library="{_LIBRARY}" library:name="Standard"
 library:readonly="false" library:passwordprotected="false">
 <library:element library:name="Save"/>
</library:library>
"""
MACRO = "Sub Main : Beep : End Sub"  # no quotes: it travels inside the macro call's own


def save_with_password(source: Path, target: Path, filter_name: str, password: str) -> Path:
    """``source`` saved as ``target`` through ``filter_name`` (e.g. 'MS Excel 97'),
    encrypted with ``password``."""
    return _saved("WithPassword", source, target, filter_name, password)


def save_with_macro(source: Path, target: Path, filter_name: str) -> Path:
    """``source`` saved as ``target`` with a Basic module in the document's own library."""
    return _saved("WithMacro", source, target, filter_name, MACRO)


def _saved(macro: str, source: Path, target: Path, filter_name: str, extra: str) -> Path:
    binary = program()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="lo-basic-") as work:
        profile = Path(work)
        _soffice(binary, profile, "--terminate_after_init")
        basic = profile / "user" / "basic" / "Standard"
        (basic / "Save.xba").write_text(_MODULE, encoding="utf-8")
        (basic / "script.xlb").write_text(_SCRIPT_LIBRARY, encoding="utf-8")
        arguments = '","'.join((str(source), str(target), filter_name, extra))
        _soffice(binary, profile, f'macro:///Standard.Save.{macro}("{arguments}")')
    if not target.exists():
        raise RuntimeError(f"LibreOffice did not save {target.name}")
    return target


def _soffice(binary: str, profile: Path, argument: str) -> None:
    command = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    subprocess.run([*command, argument], capture_output=True, check=True, timeout=TIMEOUT_SECONDS)
