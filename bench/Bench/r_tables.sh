#!/usr/bin/env bash
# Writes R's own datasets (Debian's r-base-core: apt-get install r-base-core) as CSV files into DIR,
# for the synthesis-quality bench: tables of our development set beside the plotly and matplotlib ones.
# Usage: bench/Bench/r_tables.sh DIR         20 chosen data frames
#        bench/Bench/r_tables.sh DIR all     every data frame and contingency table of the datasets package
#                                            with at least 20 rows and 2 columns (42; iris left out)
#        bench/Bench/r_tables.sh DIR packages  every data frame of MASS, ggplot2, carData, survival and HSAUR3
#                                            with 20–60,000 rows and 2–60 columns, named PACKAGE_NAME.csv
#                                            (apt-get install r-cran-mass r-cran-ggplot2 r-cran-cardata
#                                            r-cran-survival r-cran-hsaur3)
set -euo pipefail
dir=${1:?usage: r_tables.sh DIR [all]}
mkdir -p "$dir"
command -v Rscript >/dev/null || { echo "r_tables.sh: Rscript not found (apt-get install r-base-core)" >&2; exit 2; }
if [ "${2:-}" = packages ]; then
  Rscript -e 'args <- commandArgs(TRUE); for (p in c("MASS","ggplot2","carData","survival","HSAUR3")) { for (n in sub(" .*", "", data(package = p)$results[, "Item"])) { e <- new.env(); x <- tryCatch({ data(list = n, package = p, envir = e); get(n, envir = e) }, error = function(err) NULL, warning = function(w) NULL); if (is.null(x) || !is.data.frame(x)) next; if (any(sapply(x, is.list))) next; if (nrow(x) >= 20 && nrow(x) <= 60000 && ncol(x) >= 2 && ncol(x) <= 60) write.csv(x, file.path(args[1], paste0(p, "_", n, ".csv")), row.names = FALSE) } }' "$dir"
elif [ "${2:-}" = all ]; then
  Rscript -e 'args <- commandArgs(TRUE); for (n in sub(" .*", "", data(package = "datasets")$results[, "Item"])) { x <- tryCatch(get(n), error = function(e) NULL); if (is.null(x) || !(is.data.frame(x) || is.table(x))) next; d <- as.data.frame(x); if (nrow(d) >= 20 && ncol(d) >= 2 && n != "iris") write.csv(d, file.path(args[1], paste0(n, ".csv")), row.names = FALSE) }' "$dir"
else
  Rscript -e 'args <- commandArgs(TRUE); for (n in c("quakes","ChickWeight","infert","chickwts","airquality","esoph","CO2","warpbreaks","ToothGrowth","InsectSprays","Loblolly","faithful","morley","LifeCycleSavings","Orange","USArrests","attitude","mtcars","rock","swiss")) write.csv(as.data.frame(get(n)), file.path(args[1], paste0(n, ".csv")), row.names = FALSE)' "$dir"
fi
ls "$dir"/*.csv
