/* png_probe: looks into a PNG written by havoc render, for its test (tests/cli/render.sh).
     png_probe size FILE.png                          prints "WIDTH HEIGHT"
     png_probe colored FILE.png X0 Y0 X1 Y1           prints how many pixels of the rectangle are coloured
                                                      (channels differ by more than 60 of 255)
     png_probe zone FILE.png RUNDIR TERRITORY[,...] Z prints "CELLS MATCHING": the map cells of those
                                                      territories (by name, summary.json) and how many of
                                                      them show zone Z's colour at their centre pixel in
                                                      the zone map FILE.png of the run RUNDIR */
#include <cairo.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static PetscErrorCode Load(const char path[], cairo_surface_t **s, int *w, int *h)
{
  PetscFunctionBeginUser;
  *s = cairo_image_surface_create_from_png(path);
  PetscCheck(cairo_surface_status(*s) == CAIRO_STATUS_SUCCESS, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: %s", path, cairo_status_to_string(cairo_surface_status(*s)));
  cairo_surface_flush(*s);
  *w = cairo_image_surface_get_width(*s);
  *h = cairo_image_surface_get_height(*s);
  PetscFunctionReturn(0);
}

/* The colour of pixel (x, y), channels 0..255 (the surface's premultiplied alpha undone). */
static void Pixel(cairo_surface_t *s, int x, int y, int rgb[3])
{
  const unsigned char *d = cairo_image_surface_get_data(s);
  uint32_t             v = *(const uint32_t *)(d + (size_t)y * cairo_image_surface_get_stride(s) + 4 * (size_t)x);
  int                  a = (int)(v >> 24);

  for (int c = 0; c < 3; c++) {
    int q  = (int)((v >> (16 - 8 * c)) & 255);
    rgb[c] = a ? (q * 255 + a / 2) / a : 255;
  }
}

int main(int argc, char **argv)
{
  cairo_surface_t *s;
  int              w, h;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(HavocErrorHandlerPush());
  HavocCheckUser(argc >= 3, PETSC_COMM_SELF, "usage: png_probe size|colored|zone FILE.png ...");
  PetscCall(Load(argv[2], &s, &w, &h));
  if (!strcmp(argv[1], "size")) printf("%d %d\n", w, h);
  else if (!strcmp(argv[1], "colored")) {
    int  x0, y0, x1, y1;
    long n = 0;
    HavocCheckUser(argc == 7, PETSC_COMM_SELF, "usage: png_probe colored FILE.png X0 Y0 X1 Y1");
    x0 = PetscMax(0, atoi(argv[3]));
    y0 = PetscMax(0, atoi(argv[4]));
    x1 = PetscMin(w, atoi(argv[5]));
    y1 = PetscMin(h, atoi(argv[6]));
    for (int y = y0; y < y1; y++)
      for (int x = x0; x < x1; x++) {
        int c[3];
        Pixel(s, x, y, c);
        if (PetscMax(PetscMax(c[0], c[1]), c[2]) - PetscMin(PetscMin(c[0], c[1]), c[2]) > 60) n++;
      }
    printf("%ld\n", n);
  } else if (!strcmp(argv[1], "zone")) {
    HavocPost          p;
    HavocRenderOptions o;
    HavocRenderFrame   f;
    PetscReal         *terr, origin[2], dx, rgb[3], *org;
    PetscBool          found, *want;
    json_t            *ter;
    int                nd, zone;
    hsize_t            dims[4], n;
    long               cells = 0, match = 0;
    char               names[1024], *tok, *save = NULL;

    HavocCheckUser(argc == 6, PETSC_COMM_SELF, "usage: png_probe zone FILE.png RUNDIR TERRITORY[,...] ZONE");
    zone = atoi(argv[5]);
    PetscCall(HavocPostOpen(argv[3], "both", &p));
    PetscCall(HavocRenderOptionsDefault(&o));
    o.width  = w;
    o.height = h;
    PetscCall(HavocRenderFaceFrame(&p, &o, &f));
    ter = json_object_get(json_object_get(p.summary, "tissue"), "territories");
    PetscCall(PetscCalloc1(json_array_size(ter) + 1, &want));
    PetscCall(PetscStrncpy(names, argv[4], sizeof(names)));
    for (tok = strtok_r(names, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      PetscBool known = PETSC_FALSE;
      for (size_t i = 0; i < json_array_size(ter); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(ter, i), "territory")), tok)) want[i] = known = PETSC_TRUE;
      HavocCheckUser(known, PETSC_COMM_SELF, "no territory '%s' in %s", tok, p.jsonpath);
    }
    PetscCall(HavocPostShape(&p, "/tissue/territory", &nd, dims));
    PetscCall(HavocPostReadSlab(&p, "/tissue/territory", 0, &terr, &n));
    PetscCall(HavocPostRead(&p, "/tissue/origin", &org, &n));
    origin[0] = org[0];
    origin[1] = org[1];
    PetscCall(HavocPostAttributeReal(&p, "/tissue/origin", "dx", &dx, &found));
    if (!found) PetscCall(HavocPostAttributeReal(&p, "/tissue", "dx", &dx, &found));
    HavocCheckUser(found, PETSC_COMM_SELF, "%s: /tissue has no attribute dx", p.h5path);
    HavocRenderZoneColor(zone, rgb);
    for (hsize_t j = 0; j < dims[1]; j++)
      for (hsize_t i = 0; i < dims[2]; i++) {
        PetscInt t = (PetscInt)terr[j * dims[2] + i];
        int      x, y, c[3];
        if (t < 0 || !want[t]) continue;
        cells++;
        x = (int)PetscFloorReal(f.x0 + f.scale * (origin[0] + (i + 0.5) * dx));
        y = (int)PetscFloorReal(f.y0 - f.scale * (origin[1] + (j + 0.5) * dx));
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        Pixel(s, x, y, c);
        if (abs(c[0] - (int)(255 * rgb[0] + 0.5)) <= 8 && abs(c[1] - (int)(255 * rgb[1] + 0.5)) <= 8 && abs(c[2] - (int)(255 * rgb[2] + 0.5)) <= 8) match++;
      }
    printf("%ld %ld\n", cells, match);
    PetscCall(PetscFree(want));
    PetscCall(PetscFree(terr));
    PetscCall(PetscFree(org));
    PetscCall(HavocPostClose(&p));
  } else SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "png_probe: unknown mode '%s' (size, colored or zone)", argv[1]);
  cairo_surface_destroy(s);
  PetscCall(PetscFinalize());
  return 0;
}
