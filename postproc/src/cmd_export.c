/* havoc export: a run's results in other formats (docs/postproc.md).
     havoc export xdmf DIR [-o FILE]                   the XDMF description of DIR/result.h5 for ParaView
     havoc export csv DIR --table NAME [...] [-o FILE] one table as CSV, header with units:
       probe     --vessel V [--at F] [--cycle last|N]   a waveform
       map       --field F [--time T] [--row J]         a face map (x, y, value) or one row of it
       vessels                                         per vessel: geometry, steady and healthy flow
       a summary table (territories, lodged, terminals, beds, doses, slugs, treatment_beds, treatment_record)
   Reads the files only; rank 0 does the work. */
#include "cli.h"
#include "io.h"
#include "options.h"
#include "post.h"
#include "units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The summary tables: name, JSON path (dots), what a row is */
static const struct {
  const char *name, *path, *what;
} tables[] = {
  {"territories", "tissue.territories", "a perfusion territory: areas at the report times"},
  {"lodged", "bolus.lodged", "a slug of gel at the end of the acute phase"},
  {"terminals", "bolus.terminals", "a terminal vessel: healthy and chronic flow, gel in its bed"},
  {"beds", "bolus.terminal_beds", "an embolized capillary bed"},
  {"doses", "treatment.doses", "a dose of hyaluronidase"},
  {"slugs", "treatment.slugs", "a slug under treatment: recanalization, HA left"},
  {"treatment_beds", "treatment.beds", "a capillary bed under treatment"},
};

/* The columns of an array of objects: every key of every row, in order of appearance; an array value
   of the length of the report times becomes one column per time ("key@3600s"). */
static PetscErrorCode SummaryTable(FILE *f, json_t *rows, json_t *times, const char name[])
{
  json_t     *cols = json_array(), *row, *v, *c;
  size_t      i, j, k;
  const char *key;

  PetscFunctionBeginUser;
  json_array_foreach(rows, i, row)
  {
    PetscCheck(json_is_object(row), PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "summary table %s: row %zu is not an object", name, i);
    json_object_foreach(row, key, v)
    {
      PetscBool seen = PETSC_FALSE;
      json_array_foreach(cols, j, c)
      {
        if (!strcmp(json_string_value(c), key)) seen = PETSC_TRUE;
      }
      if (!seen) json_array_append_new(cols, json_string(key));
    }
  }
  /* header */
  json_array_foreach(cols, j, v)
  {
    const char *name = json_string_value(v);
    json_t     *row0 = json_array_get(rows, 0), *x = json_object_get(row0, name);
    if (json_is_array(x) && times && json_array_size(x) == json_array_size(times) && json_array_size(times) > 0) {
      for (k = 0; k < json_array_size(times); k++)
        fprintf(f, "%s%s@%.6gs", j || k ? "," : "", name, json_number_value(json_array_get(times, k)));
    } else fprintf(f, "%s%s", j ? "," : "", name);
  }
  fprintf(f, "\n");
  json_array_foreach(rows, i, row)
  {
    json_array_foreach(cols, j, v)
    {
      json_t *x = json_object_get(row, json_string_value(v)), *x0 = json_object_get(json_array_get(rows, 0), json_string_value(v));
      if (json_is_array(x0) && times && json_array_size(x0) == json_array_size(times) && json_array_size(times) > 0) {
        for (k = 0; k < json_array_size(times); k++) {
          if (j || k) fputc(',', f);
          HavocCsvJson(f, json_array_get(x, k));
        }
      } else {
        if (j) fputc(',', f);
        HavocCsvJson(f, x);
      }
    }
    fprintf(f, "\n");
  }
  json_decref(cols);
  PetscFunctionReturn(0);
}

static PetscErrorCode Probe(const HavocPost *p, const HavocArgs *args, FILE *f)
{
  const char *vessel = HavocArgsFlag(args, "--vessel");

  PetscFunctionBeginUser;
  HavocCheckUser(vessel, PETSC_COMM_SELF, "havoc export csv --table probe: --vessel NAME is required");
  HavocCheckUser(HavocPostHas(p, "/probes/p"), PETSC_COMM_SELF, "%s has no /probes (a run with the pulsatile phase writes them)", p->h5path);
  PetscCall(HavocProbeWriteCsv(f, p->h5path, vessel, HavocArgsFlag(args, "--at"), HavocArgsFlag(args, "--cycle"), PETSC_TRUE));
  PetscFunctionReturn(0);
}

/* The report time nearest to the --time flag (a quantity with a unit; default the last). */
static PetscErrorCode PickTime(const char flag[], const PetscReal t[], PetscInt n, PetscInt *k)
{
  double want;
  char   msg[256];

  PetscFunctionBeginUser;
  *k = n - 1;
  if (!flag || !strcmp(flag, "last")) PetscFunctionReturn(0);
  HavocCheckUser(!HavocQuantityParse(flag, "s", "s", &want, msg, sizeof(msg)), PETSC_COMM_SELF, "--time %s: %s", flag, msg);
  for (PetscInt j = 0; j < n; j++)
    if (PetscAbsReal(t[j] - want) < PetscAbsReal(t[*k] - want)) *k = j;
  PetscFunctionReturn(0);
}

static PetscErrorCode Map(const HavocPost *p, const HavocArgs *args, FILE *f)
{
  const char *field = HavocArgsFlag(args, "--field"), *row = HavocArgsFlag(args, "--row");
  char        path[128], units[32];
  int         nd;
  hsize_t     dims[4], n, no;
  PetscReal  *t, *v, *origin, dx;
  PetscInt    k, j0 = 0, j1;
  PetscBool   found;

  PetscFunctionBeginUser;
  HavocCheckUser(HavocPostHas(p, "/tissue/zone"), PETSC_COMM_SELF, "%s has no face map (/tissue; a case with a tissue: block or -tissue_t_end writes it)", p->h5path);
  HavocCheckUser(field, PETSC_COMM_SELF, "havoc export csv --table map: --field NAME is required (zone, territory, perfusion_ratio, po2, toxic, dead, capillary_refill)");
  PetscCall(PetscSNPrintf(path, sizeof(path), "/tissue/%s", field));
  HavocCheckUser(HavocPostHas(p, path) && strcmp(field, "times") && strcmp(field, "origin"), PETSC_COMM_SELF, "--field %s: no such map in %s (expected zone, territory, perfusion_ratio, po2, toxic, dead or capillary_refill)", field, p->h5path);
  PetscCall(HavocPostRead(p, "/tissue/times", &t, &n));
  PetscCall(PickTime(HavocArgsFlag(args, "--time"), t, (PetscInt)n, &k));
  PetscCall(HavocPostShape(p, path, &nd, dims));
  PetscCall(HavocPostReadSlab(p, path, (hsize_t)k, &v, &n));
  PetscCall(HavocPostRead(p, "/tissue/origin", &origin, &no));
  PetscCall(HavocPostAttributeReal(p, "/tissue", "dx", &dx, &found));
  PetscCall(HavocPostAttribute(p, path, "units", units, sizeof(units)));
  j1 = (PetscInt)dims[1];
  if (row) {
    char *end;
    j0 = (PetscInt)strtol(row, &end, 10);
    HavocCheckUser(end != row && !*end && j0 >= 0 && j0 < (PetscInt)dims[1], PETSC_COMM_SELF, "--row %s: expected a row index from 0 to %llu", row, (unsigned long long)dims[1] - 1);
    j1 = j0 + 1;
  }
  fprintf(f, "# %s at t = %.17g s; cells without tissue are left out\n", field, (double)t[k]);
  fprintf(f, "x_m,y_m,%s%s%s\n", field, units[0] && strcmp(units, "1") ? "_" : "", units[0] && strcmp(units, "1") ? units : "");
  for (PetscInt j = j0; j < j1; j++)
    for (PetscInt i = 0; i < (PetscInt)dims[2]; i++) {
      const PetscReal x = v[j * dims[2] + i];
      if (!row && !strcmp(field, "zone") && x < 0) continue;
      fprintf(f, "%.10g,%.10g,%.17g\n", (double)(origin[0] + (i + 0.5) * dx), (double)(origin[1] + (j + 0.5) * dx), (double)x);
    }
  PetscCall(PetscFree(t));
  PetscCall(PetscFree(v));
  PetscCall(PetscFree(origin));
  PetscFunctionReturn(0);
}

static PetscErrorCode Vessels(const HavocPost *p, FILE *f)
{
  const char *sets[]  = {"/network/vessel_length", "/network/vessel_radius_prox", "/network/vessel_radius_dist", "/steady/flow", "/steady/baseline_flow", "/steady/pressure_0", "/steady/pressure_L"};
  const char *heads[] = {"length_m", "radius_prox_m", "radius_dist_m", "steady_flow_m3s", "baseline_flow_m3s", "pressure_0_Pa", "pressure_L_Pa"};
  PetscReal  *col[7]  = {NULL};
  hsize_t     n;

  PetscFunctionBeginUser;
  for (int c = 0; c < 7; c++)
    if (HavocPostHas(p, sets[c])) PetscCall(HavocPostRead(p, sets[c], &col[c], &n));
  fprintf(f, "vessel,territory");
  for (int c = 0; c < 7; c++)
    if (col[c]) fprintf(f, ",%s", heads[c]);
  if (col[3] && col[4]) fprintf(f, ",flow_fraction");
  fprintf(f, "\n");
  for (PetscInt i = 0; i < p->nv; i++) {
    fprintf(f, "%s,%s", p->name[i], p->territory[i]);
    for (int c = 0; c < 7; c++)
      if (col[c]) fprintf(f, ",%.17g", (double)col[c][i]);
    if (col[3] && col[4]) fprintf(f, ",%.17g", (double)(col[4][i] != 0 ? col[3][i] / col[4][i] : 0));
    fprintf(f, "\n");
  }
  for (int c = 0; c < 7; c++)
    PetscCall(PetscFree(col[c]));
  PetscFunctionReturn(0);
}

static PetscErrorCode TreatmentRecord(const HavocPost *p, FILE *f)
{
  const char *sets[4] = {"/treatment/t", "/treatment/ha_fraction", "/treatment/enzyme_gel", "/treatment/enzyme_map"};
  PetscReal  *col[4];
  hsize_t     n;

  PetscFunctionBeginUser;
  HavocCheckUser(HavocPostHas(p, "/treatment/t"), PETSC_COMM_SELF, "%s has no treatment record (/treatment: a run with -enzyme_units or -enzyme_preset writes it)", p->h5path);
  for (int c = 0; c < 4; c++)
    PetscCall(HavocPostRead(p, sets[c], &col[c], &n));
  fprintf(f, "t_s,ha_fraction,enzyme_gel_U,enzyme_map_U\n");
  for (hsize_t k = 0; k < n; k++)
    fprintf(f, "%.17g,%.17g,%.17g,%.17g\n", (double)col[0][k], (double)col[1][k], (double)col[2][k], (double)col[3][k]);
  for (int c = 0; c < 4; c++)
    PetscCall(PetscFree(col[c]));
  PetscFunctionReturn(0);
}

static PetscErrorCode Csv(const HavocPost *p, const HavocArgs *args, FILE *f)
{
  const char *table     = HavocArgsFlag(args, "--table");
  char        list[512] = "probe, map, vessels, treatment_record";

  PetscFunctionBeginUser;
  for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
    PetscCall(HavocListAppend(list, sizeof(list), tables[i].name));
  HavocCheckUser(table, PETSC_COMM_SELF, "havoc export csv: --table NAME is required (one of: %s)", list);
  if (!strcmp(table, "probe")) PetscCall(Probe(p, args, f));
  else if (!strcmp(table, "map")) PetscCall(Map(p, args, f));
  else if (!strcmp(table, "vessels")) PetscCall(Vessels(p, f));
  else if (!strcmp(table, "treatment_record")) PetscCall(TreatmentRecord(p, f));
  else {
    json_t *rows = NULL, *times = NULL;
    size_t  i;
    for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
      if (!strcmp(table, tables[i].name)) break;
    HavocCheckUser(i < sizeof(tables) / sizeof(tables[0]), PETSC_COMM_SELF, "--table %s: unknown table (expected one of: %s)", table, list);
    HavocCheckUser(p->summary, PETSC_COMM_SELF, "--table %s needs %s", table, p->jsonpath);
    rows = HavocJsonPath(p->summary, tables[i].path);
    HavocCheckUser(json_is_array(rows), PETSC_COMM_SELF, "--table %s: %s has no %s (%s)", table, p->jsonpath, tables[i].path, tables[i].what);
    HavocCheckUser(json_array_size(rows) > 0, PETSC_COMM_SELF, "--table %s: %s is empty in %s", table, tables[i].path, p->jsonpath);
    if (!strncmp(tables[i].path, "tissue.", 7)) times = HavocJsonPath(p->summary, "tissue.report_times_s");
    else if (!strncmp(tables[i].path, "treatment.", 10)) times = HavocJsonPath(p->summary, "treatment.output_times_s");
    PetscCall(SummaryTable(f, rows, times, table));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCmdExport(MPI_Comm comm, const HavocArgs *args)
{
  const char *out = HavocArgsFlag(args, "-o");
  PetscMPIInt rank;
  HavocPost   p;
  PetscBool   help;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  if (help) {
    PetscCall(PetscPrintf(comm, "usage:\n  havoc export xdmf DIR [-o FILE]      DIR/result.xdmf (default): the network and face map over time for ParaView\n"
                                "  havoc export csv DIR --table NAME [-o FILE]   one table as CSV (stdout by default):\n"
                                "    probe --vessel V [--at F] [--cycle last|N]   t_s,p_Pa,q_m3s,a_m2 at fraction F (default 0.5)\n"
                                "    map --field F [--time T] [--row J]          x_m,y_m,value of a face map at the report time nearest T\n"
                                "                                               (default the last; T with a unit, e.g. 24h)\n"
                                "    vessels                                     per vessel: length, radii, steady and healthy flow, pressures\n"
                                "    treatment_record                            t_s,ha_fraction,enzyme_gel_U,enzyme_map_U every treatment step\n"
                                "    territories, lodged, terminals, beds, doses, slugs, treatment_beds   tables of summary.json\n"
                                "Column names end with their unit (_s, _m, _m3s, _Pa, _cm2, _U; none: dimensionless or text).\n"));
    PetscFunctionReturn(0);
  }
  HavocCheckUser(args->npos == 2 && (!strcmp(args->pos[0], "xdmf") || !strcmp(args->pos[0], "csv")), comm, "usage: havoc export xdmf DIR [-o FILE] | havoc export csv DIR --table NAME [-o FILE] (havoc export -help lists the tables)");
  PetscCall(HavocOptionsCheckUnused(comm));
  if (rank) PetscFunctionReturn(0);
  PetscCall(HavocPostOpen(args->pos[1], !strcmp(args->pos[0], "xdmf") ? "h5" : "both", &p));
  if (!strcmp(args->pos[0], "xdmf")) {
    char     path[PETSC_MAX_PATH_LEN];
    PetscInt ngrids;
    if (out) PetscCall(PetscStrncpy(path, out, sizeof(path)));
    else PetscCall(PetscSNPrintf(path, sizeof(path), "%s/result.xdmf", args->pos[1]));
    PetscCall(HavocPostWriteXdmf(&p, path, &ngrids));
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "havoc: export: %s (%" PetscInt_FMT " grid%s: %s%s%s)\n", path, ngrids, ngrids == 1 ? "" : "s", HavocPostHas(&p, "/fields/t") ? "the network over time" : "", ngrids == 2 ? ", " : "", HavocPostHas(&p, "/tissue/zone") ? "the face map over time" : ""));
  } else {
    char           tmp[PETSC_MAX_PATH_LEN];
    FILE          *f = stdout;
    PetscErrorCode ierr;
    if (out) {
      PetscCall(PetscSNPrintf(tmp, sizeof(tmp), "%s.tmp", out));
      f = fopen(tmp, "w");
      HavocCheckUser(f, PETSC_COMM_SELF, "-o %s: cannot write '%s'", out, tmp);
    }
    ierr = Csv(&p, args, f);
    if (out) {
      if (fclose(f) || ierr || rename(tmp, out)) {
        (void)unlink(tmp);
        PetscCall(ierr);
        SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "-o %s: cannot write it", out);
      }
    } else {
      fflush(stdout);
      PetscCall(ierr);
    }
  }
  PetscCall(HavocPostClose(&p));
  PetscFunctionReturn(0);
}
