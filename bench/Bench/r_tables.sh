#!/usr/bin/env bash
# Writes 20 of R's own datasets (Debian's r-base-core: apt-get install r-base-core) as CSV files into DIR,
# for the synthesis-quality bench: tables of our development set beside the plotly and matplotlib ones.
# Usage: bench/Bench/r_tables.sh DIR
set -euo pipefail
dir=${1:?usage: r_tables.sh DIR}
mkdir -p "$dir"
command -v Rscript >/dev/null || { echo "r_tables.sh: Rscript not found (apt-get install r-base-core)" >&2; exit 2; }
Rscript -e 'args <- commandArgs(TRUE); for (n in c("quakes","ChickWeight","infert","chickwts","airquality","esoph","CO2","warpbreaks","ToothGrowth","InsectSprays","Loblolly","faithful","morley","LifeCycleSavings","Orange","USArrests","attitude","mtcars","rock","swiss")) write.csv(as.data.frame(get(n)), file.path(args[1], paste0(n, ".csv")), row.names = FALSE)' "$dir"
ls "$dir"/*.csv
