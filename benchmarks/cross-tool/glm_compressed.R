# R's glm on the compressed-fit benchmark data (docs/performance.md, "Compressed fits"): y ~ pilot * post + c0..c4
# (five categoricals of 10 levels), 0/1 records, on the CSV written by
#   dotnet benchmarks/Evaluation.Stats.Benchmarks/bin/Release/net10.0/Evaluation.Stats.Benchmarks.dll compressed N 1 FILE.csv
# Usage: Rscript glm_compressed.R FILE.csv [reps]. Times glm only (the file is read first with data.table::fread),
# best of reps, and prints seconds, iterations and the pilot:post estimate and SE for the agreement check.
suppressMessages(library(data.table))
a <- commandArgs(TRUE); reps <- if (length(a) >= 2) as.integer(a[2]) else 1L
d <- fread(a[1], colClasses = list(character = paste0("c", 0:4)))
for (v in paste0("c", 0:4)) d[[v]] <- factor(d[[v]])
times <- sapply(seq_len(reps), function(r) system.time(fit <<- glm(y ~ pilot * post + c0 + c1 + c2 + c3 + c4, binomial, d))[["elapsed"]])
s <- summary(fit)$coefficients["pilot:post", ]
cat(sprintf("%.3f %d %.9f %.9f\n", min(times), fit$iter, s[1], s[2]))
