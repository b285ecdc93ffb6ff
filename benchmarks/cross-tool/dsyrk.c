/* The limit reference: one OpenBLAS DSYRK of X (C = X'X, upper triangle), the cost of one IRLS iteration's X'WX
   at the machine's limit. Reads X.bin (n x p column-major float64). Usage: dsyrk DIR n p reps; prints best seconds. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cblas.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main(int argc, char **argv) {
  char path[4096]; long n = atol(argv[2]); int p = atoi(argv[3]); int reps = atoi(argv[4]);
  snprintf(path, sizeof path, "%s/X.bin", argv[1]);
  double *x = malloc(sizeof(double) * n * p), *c = calloc((size_t)p * p, sizeof(double));
  FILE *f = fopen(path, "rb"); if (!f || fread(x, sizeof(double), (size_t)n * p, f) != (size_t)n * p) { fprintf(stderr, "cannot read %s\n", path); return 1; }
  fclose(f);
  double best = 1e300;
  for (int r = 0; r < reps; r++) {
    double t0 = now();
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, p, n, 1.0, x, n, 0.0, c, p);
    double t = now() - t0; if (t < best) best = t;
  }
  printf("%.6f\n", best);
  return 0;
}
