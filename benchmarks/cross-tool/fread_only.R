# data.table::fread (2 threads) alone, best of `reps`. Prints seconds. Usage: Rscript fread_only.R FILE [reps]
suppressMessages(library(data.table))
a <- commandArgs(TRUE); reps <- if (length(a) >= 2) as.integer(a[2]) else 1L
setDTthreads(2L)
cat(sprintf("%.4f\n", min(sapply(seq_len(reps), function(r) { t <- system.time(d <- fread(a[1], nThread = 2L))[["elapsed"]]; rm(d); invisible(gc()); t }))))
