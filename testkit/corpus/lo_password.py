"""LibreOffice saving a document with a password to open it (what "Save with password" does).

``--convert-to`` cannot set a password, so a Basic macro in a private profile loads the file
and stores it through the given filter with the ``Password`` property. LibreOffice writes its
default macro library over the profile on first start, so the profile is started once before
the macro is put in place.
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
Sub WithPassword(source As String, target As String, filter As String, secret As String)
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = "Hidden" : hidden(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, hidden())
  Dim options(1) As New com.sun.star.beans.PropertyValue
  options(0).Name = "FilterName" : options(0).Value = filter
  options(1).Name = "Password" : options(1).Value = secret
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


def save_with_password(source: Path, target: Path, filter_name: str, password: str) -> Path:
    """``source`` saved as ``target`` through ``filter_name`` (e.g. 'MS Excel 97'),
    encrypted with ``password``."""
    binary = program()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="lo-password-") as work:
        profile = Path(work)
        _soffice(binary, profile, "--terminate_after_init")
        basic = profile / "user" / "basic" / "Standard"
        (basic / "Save.xba").write_text(_MODULE, encoding="utf-8")
        (basic / "script.xlb").write_text(_SCRIPT_LIBRARY, encoding="utf-8")
        arguments = '","'.join((str(source), str(target), filter_name, password))
        _soffice(binary, profile, f'macro:///Standard.Save.WithPassword("{arguments}")')
    if not target.exists():
        raise RuntimeError(f"LibreOffice did not save {target.name}")
    return target


def _soffice(binary: str, profile: Path, argument: str) -> None:
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            argument,
        ],
        capture_output=True,
        check=True,
        timeout=TIMEOUT_SECONDS,
    )
