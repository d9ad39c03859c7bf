"""PyInstaller hook for python-stdnum, in place of the contributed one: of its number databases only the one
the application reads, China's administrative division codes (app/domain/identity.py), not all of them
(about 2 MB)."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("stdnum", includes=["cn/loc.dat"])
