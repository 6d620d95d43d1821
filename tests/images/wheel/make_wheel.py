"""Packs wheel/greeting into greeting-1.0-py3-none-any.whl (a wheel is a zip with metadata and a
RECORD of hashes), so the Python image tests can `pip install --no-index` it with no network and
no build backend."""
import base64
import hashlib
import pathlib
import sys
import zipfile

here = pathlib.Path(__file__).parent
out = pathlib.Path(sys.argv[1]) / "greeting-1.0-py3-none-any.whl"
files = {
    "greeting/__init__.py": (here / "greeting" / "__init__.py").read_bytes(),
    "greeting-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: greeting\nVersion: 1.0\n",
    "greeting-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: dfharden-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = []
for name, data in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append(f"{name},sha256={digest},{len(data)}")
record.append("greeting-1.0.dist-info/RECORD,,")
files["greeting-1.0.dist-info/RECORD"] = ("\n".join(record) + "\n").encode()
with zipfile.ZipFile(out, "w") as z:
    for name, data in files.items():
        z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
