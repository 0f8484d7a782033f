"""The offline bundle: the offline profile packed into one zip that works wherever it is unpacked.

Every link in the offline profile is relative and names a file, so the unpacked folder can sit at
any path, spaces and non-ASCII letters included. The zip is reproducible: entries are sorted and
carry a fixed timestamp and fixed permissions.
"""

from __future__ import annotations

import argparse
import tempfile
import zipfile
from pathlib import Path

from .builder import BuildFailed, BuildOptions, build_site, read_inputs
from .collection import slugify
from .console import Console
from .render import TemplateProblem
from .textio import write_atomic
from .writer import WriteError

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def pack(site: Path, archive: Path, folder_name: str) -> int:
    """Zip every file under `site` into `archive`, inside one top folder; return the number of files."""
    files = sorted(p for p in site.rglob("*") if p.is_file())
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as buffer:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
            for path in files:
                info = zipfile.ZipInfo(f"{folder_name}/{path.relative_to(site).as_posix()}", date_time=FIXED_TIME)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                bundle.writestr(info, path.read_bytes())
        buffer.seek(0)
        write_atomic(archive, buffer.read())
    return len(files)


def run_bundle(args: argparse.Namespace, console: Console) -> int:
    try:
        config, _ = read_inputs(args.content)
    except BuildFailed as error:
        for problem in error.problems:
            console.error(problem)
        console.summary("Bundle failed: the content has problems; nothing was written")
        return 1
    name = f"{slugify(config['title'])}-offline"
    archive = args.zip or Path("dist") / f"{name}.zip"
    with tempfile.TemporaryDirectory(prefix="shelfmark-bundle-") as scratch:
        out = args.out or Path(scratch) / "site"
        try:
            result = build_site(BuildOptions(args.content, out, "offline"), progress=console.progress)
        except BuildFailed as error:
            for problem in error.problems:
                console.error(problem)
            console.summary("Bundle failed; nothing was written")
            return 1
        except (TemplateProblem, WriteError) as error:
            console.error(str(error))
            console.summary("Bundle failed; nothing was written")
            return 1
        count = pack(out, archive, name)
    size = archive.stat().st_size
    console.summary(f"Bundled {result.theses} theses into {archive} ({count} files, {size / 1024:.0f} KB); "
                    f"unpack it anywhere and open {name}/index.html")
    return 0
