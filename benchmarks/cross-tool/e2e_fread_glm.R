# End to end in R: data.table::fread (2 threads) of the shared CSV, then glm.fit, timed as one; best of `reps`,
# each in a fresh read. Prints: seconds-total seconds-read b[x1]. Usage: Rscript e2e_fread_glm.R FILE [reps]
suppressMessages(library(data.table))
a <- commandArgs(TRUE); file <- a[1]; reps <- if (length(a) >= 2) as.integer(a[2]) else 1L
setDTthreads(2L)
best <- Inf; best_read <- Inf
for (r in seq_len(reps)) {
  t0 <- proc.time()[["elapsed"]]
  d <- fread(file, nThread = 2L)
  t1 <- proc.time()[["elapsed"]]
  X <- cbind(1, as.matrix(d[, -1]))
  fit <- glm.fit(X, d[[1]], family = binomial())
  t2 <- proc.time()[["elapsed"]]
  best <- min(best, t2 - t0); best_read <- min(best_read, t1 - t0)
  rm(d, X); invisible(gc())
}
cat(sprintf("%.4f %.4f %.10f\n", best, best_read, fit$coefficients[2]))
