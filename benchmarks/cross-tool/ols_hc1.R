# Times R's lm + sandwich::vcovHC(type = "HC1") on the shared data (raw float64 files written by make_data.py),
# best of `reps`. The formula is y ~ x1 + ... + x29 on a data.frame, so lm builds its model frame and matrix as
# evalstats builds its design. Usage: Rscript ols_hc1.R DIR n p [reps]
suppressMessages(library(sandwich))
a <- commandArgs(TRUE); dir <- a[1]; n <- as.integer(a[2]); p <- as.integer(a[3])
reps <- if (length(a) >= 4) as.integer(a[4]) else 1L
X <- matrix(readBin(file.path(dir, "X.bin"), "double", n * p), n, p)
d <- as.data.frame(X[, -1]); names(d) <- paste0("x", 1:(p - 1))
d$y <- readBin(file.path(dir, "y.bin"), "double", n)
f <- reformulate(paste0("x", 1:(p - 1)), "y")
times <- sapply(seq_len(reps), function(r) system.time({
  fit <<- lm(f, data = d)
  V <<- vcovHC(fit, type = "HC1")
})[["elapsed"]])
cat(sprintf("%.4f %.12f %.12f\n", min(times), coef(fit)[2], sqrt(V[2, 2])))
