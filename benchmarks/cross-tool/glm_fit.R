# Times R's glm.fit on the shared data (raw float64 files). Usage: Rscript glm_fit.R DIR n p
a <- commandArgs(TRUE); dir <- a[1]; n <- as.integer(a[2]); p <- as.integer(a[3])
X <- matrix(readBin(file.path(dir, "X.bin"), "double", n * p), n, p)
y <- readBin(file.path(dir, "y.bin"), "double", n)
invisible(gc(reset = TRUE))
t <- system.time(fit <- glm.fit(X, y, family = binomial()))[["elapsed"]]
mem <- sum(gc()[, 6])  # "max used" in Mb since the reset
cat(sprintf("%.4f %d %.1f %.10f\n", t, fit$iter, mem, fit$coefficients[2]))
