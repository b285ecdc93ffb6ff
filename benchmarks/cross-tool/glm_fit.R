# Times R's glm.fit on the shared data (raw float64 files), best of `reps` fits. Usage: Rscript glm_fit.R DIR n p [reps]
a <- commandArgs(TRUE); dir <- a[1]; n <- as.integer(a[2]); p <- as.integer(a[3])
reps <- if (length(a) >= 4) as.integer(a[4]) else 1L
X <- matrix(readBin(file.path(dir, "X.bin"), "double", n * p), n, p)
y <- readBin(file.path(dir, "y.bin"), "double", n)
invisible(gc(reset = TRUE))
times <- sapply(seq_len(reps), function(r) system.time(fit <<- glm.fit(X, y, family = binomial()))[["elapsed"]])
t <- min(times)
mem <- sum(gc()[, 6])  # "max used" in Mb since the reset (the largest of the fits)
cat(sprintf("%.4f %d %.1f %.10f\n", t, fit$iter, mem, fit$coefficients[2]))
