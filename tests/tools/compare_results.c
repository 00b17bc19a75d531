/* compare_results A.h5 B.h5 RTOL: the probe series and field snapshots of two runs must agree within
   RTOL relative to the largest magnitude of each dataset. Prints the worst difference of every dataset;
   exits 1 beyond tolerance or if the files differ in shape. Used by the rank-independence test. */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double *ReadAll(hid_t file, const char *name, hsize_t *count)
{
  hid_t   d       = H5Dopen2(file, name, H5P_DEFAULT), s;
  hsize_t dims[4] = {1, 1, 1, 1};
  int     rank;
  double *buf;

  if (d < 0) return NULL;
  s    = H5Dget_space(d);
  rank = H5Sget_simple_extent_ndims(s);
  H5Sget_simple_extent_dims(s, dims, NULL);
  *count = 1;
  for (int i = 0; i < rank; i++)
    *count *= dims[i];
  buf = malloc((*count ? *count : 1) * sizeof(double));
  if (*count) H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
  H5Sclose(s);
  H5Dclose(d);
  return buf;
}

int main(int argc, char **argv)
{
  const char *sets[] = {"/probes/t", "/probes/p", "/probes/q", "/probes/a", "/fields/t", "/fields/A", "/fields/Q", "/fields/p"};
  double      rtol;
  int         bad = 0;
  hid_t       fa, fb;

  if (argc != 4) {
    fprintf(stderr, "usage: compare_results A.h5 B.h5 RTOL\n");
    return 2;
  }
  rtol = atof(argv[3]);
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  fa = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
  fb = H5Fopen(argv[2], H5F_ACC_RDONLY, H5P_DEFAULT);
  if (fa < 0 || fb < 0) {
    fprintf(stderr, "compare_results: cannot open %s\n", fa < 0 ? argv[1] : argv[2]);
    return 2;
  }
  for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
    hsize_t na, nb;
    double *a = ReadAll(fa, sets[k], &na), *b = ReadAll(fb, sets[k], &nb), scale = 0, worst = 0;
    size_t  at = 0;
    if (!a || !b || na != nb) {
      printf("    %-10s shapes differ or missing\n", sets[k]);
      bad = 1;
    } else {
      for (hsize_t i = 0; i < na; i++)
        scale = fmax(scale, fabs(a[i]));
      for (hsize_t i = 0; i < na; i++)
        if (fabs(a[i] - b[i]) > worst) {
          worst = fabs(a[i] - b[i]);
          at    = i;
        }
      worst = scale > 0 ? worst / scale : worst;
      printf("    %-10s %9llu values, largest difference %.2e of the largest magnitude (at %zu; bound %.0e)\n", sets[k], (unsigned long long)na, worst, at, rtol);
      if (!(worst <= rtol)) bad = 1;
    }
    free(a);
    free(b);
  }
  H5Fclose(fa);
  H5Fclose(fb);
  return bad;
}
