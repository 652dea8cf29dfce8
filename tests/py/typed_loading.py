"""Run by tests/export.rs (every_table_loads_typed_...) in a folder holding
`out-parquet`, `out-csv` and `out-ndjson` exports of the bundled corpus.

Every table of the Parquet export must load in pyarrow, pandas, polars and
DuckDB with each column of the type datapackage.json declares, with no
options; the CSV and NDJSON exports, loaded through their datapackage.json,
must hold the same rows; `frictionless` must find the CSV package valid,
and must find a broken foreign key (so the keys are declared and checked).
Prints one line per check; exits non-zero on the first failure.
"""

import json
import pathlib
import shutil
import sys

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
from frictionless import validate

EXPECT = {
    # Table Schema type: (pyarrow, pandas, polars, DuckDB)
    "string": ("string", "str", pl.String, "VARCHAR"),
    "year": ("int32", "Int32", pl.Int32, "INTEGER"),
    "integer": ("int64", "Int64", pl.Int64, "BIGINT"),
    "number": ("double", "float64", pl.Float64, "DOUBLE"),
}


def pandas_type(dtype):
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return "str"
    return str(dtype)


def resources(folder):
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["resources"]


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    tables = 0
    for r in resources(root / "out-parquet"):
        path = str(root / "out-parquet" / r["path"])
        fields = r["schema"]["fields"]
        names = [f["name"] for f in fields]
        arrow = pq.read_table(path).schema
        frame = pd.read_parquet(path)
        polars = pl.read_parquet(path).schema
        duck = duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
        assert list(arrow.names) == names, (r["name"], arrow.names)
        assert list(frame.columns) == names, (r["name"], list(frame.columns))
        assert list(polars.names()) == names, (r["name"], polars.names())
        assert [d[0] for d in duck] == names, (r["name"], duck)
        for i, f in enumerate(fields):
            want = EXPECT[f["type"]]
            got = (str(arrow.field(i).type), pandas_type(frame.dtypes.iloc[i]), polars[f["name"]], duck[i][1])
            assert got[0] == want[0], (r["name"], f["name"], "pyarrow", got[0], want[0])
            assert got[1] == want[1], (r["name"], f["name"], "pandas", got[1], want[1])
            assert got[2] == want[2], (r["name"], f["name"], "polars", got[2], want[2])
            assert got[3] == want[3], (r["name"], f["name"], "duckdb", got[3], want[3])
        tables += 1
    print(f"parquet: {tables} tables typed in pyarrow, pandas, polars and DuckDB")

    # CSV and NDJSON, loaded through their data packages, hold the Parquet rows.
    duck_types = {k: v[3] for k, v in EXPECT.items()}
    for folder, reader, extra in [("out-csv", "read_csv", ", header = true"), ("out-ndjson", "read_json", "")]:
        for r in resources(root / folder):
            columns = {f["name"]: duck_types[f["type"]] for f in r["schema"]["fields"]}
            text = f"{reader}('{root / folder / r['path']}', columns = {columns!r}{extra})"
            parquet = f"'{root / 'out-parquet' / (r['name'] + '.parquet')}'"
            for a, b in [(text, parquet), (parquet, text)]:
                n = duckdb.sql(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})").fetchall()[0][0]
                assert n == 0, (folder, r["name"], n, "rows differ from the Parquet export")
        print(f"{folder}: every table, typed through datapackage.json, equals the Parquet export")

    report = validate(str(root / "out-csv" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
    print(f"frictionless: the CSV package is valid ({len(report.tasks)} resources)")

    # A budget of an initiative that does not exist breaks the foreign key.
    broken = root / "broken-csv"
    shutil.copytree(root / "out-csv", broken)
    budgets = broken / "budgets.csv"
    lines = budgets.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("initiative_id")] = "9-9-9"
    lines[1] = ",".join(cells)
    budgets.write_text("\n".join(lines), encoding="utf-8")
    report = validate(str(broken / "datapackage.json"))
    errors = [e[0] for e in report.flatten(["type"])]
    assert not report.valid and "foreign-key" in errors, errors
    print("frictionless: a broken foreign key is found")


main()
