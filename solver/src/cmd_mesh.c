/* havoc mesh: check, summarize, generate or sample network files. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "cli.h"
#include "mesh.h"
#include "options.h"
#include "variants.h"

#include <petscviewer.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char mesh_usage[] = "usage:\n"
                                 "  havoc mesh check FILE                    validate a network file\n"
                                 "  havoc mesh info FILE [-network_dx 1mm]   summary: vessels, nodes, loops, length, cells\n"
                                 "  havoc mesh generate -o FILE [options]    write a synthetic tree\n"
                                 "  havoc mesh sample --seed S [-o FILE] [-variants FILE]\n"
                                 "                                           draw a virtual patient from a variant file\n"
                                 "  havoc mesh export FILE -o OUT [-format csv|vtk]\n"
                                 "                                           the network as a vessel table or VTK polylines\n";

#define DEFAULT_VARIANTS "meshes/face/variants.yaml"

static PetscErrorCode InfoOptions(MPI_Comm comm, PetscReal *dx, PetscInt *min_cells)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(comm, "network_", "Network discretization (havoc mesh info)", NULL);
  PetscCall(HavocOptionsQuantity("-dx", "target cell size", "m", *dx, dx, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsIntRange("-min_cells", "least number of cells in a vessel", *min_cells, min_cells, NULL, 1, PETSC_MAX_INT));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

static PetscErrorCode GenerateOptions(MPI_Comm comm, char path[], size_t len, HavocTreeSpec *spec)
{
  PetscInt seed = (PetscInt)spec->seed;

  PetscFunctionBeginUser;
  PetscOptionsBegin(comm, NULL, "Output of havoc mesh generate", NULL);
  PetscCall(PetscOptionsString("-o", "network file to write (required)", NULL, path, path, len, NULL));
  PetscOptionsEnd();
  PetscOptionsBegin(comm, "tree_", "Synthetic tree (havoc mesh generate)", NULL);
  PetscCall(HavocOptionsIntRange("-vessels", "vessels of the tree, anastomoses not counted", spec->nvessels, &spec->nvessels, NULL, 1, 1000000));
  PetscCall(HavocOptionsIntRange("-loops", "anastomoses added between junctions", spec->nloops, &spec->nloops, NULL, 0, 1000000));
  PetscCall(HavocOptionsIntRange("-seed", "seed of the random tree", seed, &seed, NULL, 0, PETSC_MAX_INT));
  PetscCall(HavocOptionsQuantity("-radius", "radius of the root vessel", "m", spec->r_root, &spec->r_root, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-length_min", "shortest vessel", "m", spec->length_min, &spec->length_min, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-length_max", "longest vessel", "m", spec->length_max, &spec->length_max, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-inflow_mean", "mean inflow the outlets are sized for", "m^3/s", spec->inflow_mean, &spec->inflow_mean, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-pressure_mean", "mean pressure the outlets are sized for", "Pa", spec->pressure_mean, &spec->pressure_mean, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscOptionsEnd();
  HavocCheckUser(spec->length_min <= spec->length_max, comm, "option -tree_length_min: must not exceed -tree_length_max");
  spec->seed = (unsigned long)seed;
  PetscFunctionReturn(0);
}

static PetscErrorCode MeshFile(MPI_Comm comm, const HavocArgs *args, const char **path)
{
  PetscFunctionBeginUser;
  HavocCheckUser(args->npos >= 2, comm, "havoc mesh %s: missing the network FILE (usage: havoc mesh %s FILE)", args->pos[0], args->pos[0]);
  HavocCheckUser(args->npos == 2, comm, "havoc mesh %s: unexpected argument '%s' (usage: havoc mesh %s FILE)", args->pos[0], args->pos[2], args->pos[0]);
  *path = args->pos[1];
  PetscFunctionReturn(0);
}

static PetscErrorCode MeshCheck(MPI_Comm comm, const HavocArgs *args)
{
  const char *path = NULL;
  HavocMesh   mesh;

  PetscFunctionBeginUser;
  PetscCall(MeshFile(comm, args, &path));
  PetscCall(HavocMeshRead(comm, path, &mesh));
  PetscCall(HavocOptionsCheckUnused(comm));
  PetscCall(PetscPrintf(comm, "%s: ok (%" PetscInt_FMT " vessel%s, %" PetscInt_FMT " nodes, %" PetscInt_FMT " loop%s)\n", path, mesh->nvessels, mesh->nvessels == 1 ? "" : "s", mesh->nnodes, mesh->nloops, mesh->nloops == 1 ? "" : "s"));
  PetscCall(HavocMeshDestroy(&mesh));
  PetscFunctionReturn(0);
}

static PetscErrorCode MeshInfo(MPI_Comm comm, const HavocArgs *args)
{
  const char *path = NULL;
  HavocMesh   mesh;
  PetscReal   dx        = 1e-3;
  PetscInt    min_cells = 3;

  PetscFunctionBeginUser;
  PetscCall(MeshFile(comm, args, &path));
  PetscCall(InfoOptions(comm, &dx, &min_cells));
  PetscCall(HavocMeshRead(comm, path, &mesh));
  PetscCall(HavocOptionsCheckUnused(comm));
  PetscCall(HavocMeshView(mesh, dx, min_cells, PETSC_VIEWER_STDOUT_(comm)));
  PetscCall(HavocMeshDestroy(&mesh));
  PetscFunctionReturn(0);
}

/* Rank 0 writes a temporary file that is renamed when complete, so a failure leaves no partial file. */
static PetscErrorCode MeshGenerate(MPI_Comm comm, const HavocArgs *args)
{
  char          path[PETSC_MAX_PATH_LEN] = "", *text;
  HavocTreeSpec spec;
  HavocMesh     mesh;

  PetscFunctionBeginUser;
  HavocCheckUser(args->npos == 1, comm, "havoc mesh generate: unexpected argument '%s' (usage: havoc mesh generate -o FILE [options])", args->pos[1]);
  PetscCall(HavocTreeSpecDefault(&spec));
  PetscCall(GenerateOptions(comm, path, sizeof(path), &spec));
  HavocCheckUser(path[0], comm, "havoc mesh generate: missing -o FILE, the network file to write");
  PetscCall(HavocMeshGenerateTree(comm, &spec, &mesh));
  PetscCall(HavocOptionsCheckUnused(comm));
  PetscCall(HavocMeshWriteString(mesh, &text));
  PetscCall(HavocWriteTextFile(comm, path, "network file", text));
  PetscCall(PetscFree(text));
  PetscCall(PetscPrintf(comm, "%s: %" PetscInt_FMT " vessel%s, %" PetscInt_FMT " nodes, %" PetscInt_FMT " loop%s, %" PetscInt_FMT " outlet%s\n", path, mesh->nvessels, mesh->nvessels == 1 ? "" : "s", mesh->nnodes, mesh->nloops, mesh->nloops == 1 ? "" : "s", mesh->noutlets, mesh->noutlets == 1 ? "" : "s"));
  PetscCall(HavocMeshDestroy(&mesh));
  PetscFunctionReturn(0);
}

static PetscErrorCode SampleOptions(MPI_Comm comm, char out[], size_t out_len, char variants[], size_t variants_len)
{
  PetscFunctionBeginUser;
  PetscCall(HavocDataFile(DEFAULT_VARIANTS, variants, variants_len));
  PetscOptionsBegin(comm, NULL, "Virtual patient (havoc mesh sample)", NULL);
  PetscCall(PetscOptionsString("-o", "network file to write (default: standard output)", NULL, out, out, out_len, NULL));
  PetscCall(PetscOptionsString("-variants", "variant file to draw from (default: the face's, shipped with havoc)", NULL, variants, variants, variants_len, NULL));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseSeed(MPI_Comm comm, const HavocArgs *args, unsigned long long *seed)
{
  const char *text = HavocArgsFlag(args, "--seed");
  char       *end;

  PetscFunctionBeginUser;
  HavocCheckUser(text, comm, "havoc mesh sample: missing --seed S, the seed of the virtual patient (an integer >= 0)");
  errno = 0;
  *seed = strtoull(text, &end, 10);
  HavocCheckUser(text[0] >= '0' && text[0] <= '9' && !*end && !errno, comm, "havoc mesh sample: --seed: expected an integer >= 0, got '%s'", text);
  PetscFunctionReturn(0);
}

/* The file starts with what was drawn, so that a virtual patient says where it comes from. */
static PetscErrorCode SampleText(HavocVariants v, HavocMesh mesh, unsigned long long seed, const PetscInt choice[], char **text)
{
  char header[8192], line[512];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(header, sizeof(header), "A virtual patient: havoc mesh sample --seed %llu -variants %s\nOne option of every group drawn by its prevalence from the base network %s, then the radius\nand length of every vessel with a published range drawn uniformly within it.\n", seed, v->path, v->network));
  for (PetscInt g = 0; g < v->ngroups; g++) {
    PetscCall(PetscSNPrintf(line, sizeof(line), "  %s: %s\n", v->groups[g].name, v->options[v->groups[g].first + choice[g]].name));
    PetscCall(HavocStrlcat(header, line, sizeof(header)));
  }
  PetscCall(HavocMeshWriteStringHeader(mesh, header, text));
  PetscFunctionReturn(0);
}

static PetscErrorCode MeshSample(MPI_Comm comm, const HavocArgs *args)
{
  char               out[PETSC_MAX_PATH_LEN] = "", path[PETSC_MAX_PATH_LEN], *text;
  unsigned long long seed;
  HavocVariants      v;
  HavocMesh          mesh;
  PetscInt          *choice, nradii = 0, nlengths = 0;
  PetscMPIInt        rank;

  PetscFunctionBeginUser;
  HavocCheckUser(args->npos == 1, comm, "havoc mesh sample: unexpected argument '%s' (usage: havoc mesh sample --seed S [-o FILE] [-variants FILE])", args->pos[1]);
  PetscCall(ParseSeed(comm, args, &seed));
  PetscCall(SampleOptions(comm, out, sizeof(out), path, sizeof(path)));
  PetscCall(HavocOptionsCheckUnused(comm));
  PetscCall(HavocVariantsRead(comm, path, &v));
  PetscCall(PetscMalloc1(v->ngroups, &choice));
  PetscCall(HavocVariantsSample(v, seed, choice, &mesh));
  PetscCall(SampleText(v, mesh, seed, choice, &text));
  for (PetscInt e = 0; e < mesh->nvessels; e++) {
    nradii += mesh->vessels[e].r_range[1] > 0;
    nlengths += mesh->vessels[e].L_range[1] > 0;
  }
  if (out[0]) {
    PetscCall(HavocWriteTextFile(comm, out, "network file", text));
    PetscCall(PetscPrintf(comm, "%s: virtual patient, seed %llu, from %s (%" PetscInt_FMT " vessels, %" PetscInt_FMT " loops)\n", out, seed, path, mesh->nvessels, mesh->nloops));
    for (PetscInt g = 0; g < v->ngroups; g++) {
      const HavocVariantOption *o = &v->options[v->groups[g].first + choice[g]];
      PetscCall(PetscPrintf(comm, "  %-24s %-16s (prevalence %g)\n", v->groups[g].name, o->name, (double)o->prevalence));
    }
    PetscCall(PetscPrintf(comm, "  radius drawn in %" PetscInt_FMT " vessels and length in %" PetscInt_FMT " within their published ranges\n", nradii, nlengths));
  } else {
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    if (!rank) {
      fputs(text, stdout);
      fflush(stdout);
    }
  }
  PetscCall(PetscFree(text));
  PetscCall(PetscFree(choice));
  PetscCall(HavocMeshDestroy(&mesh));
  PetscCall(HavocVariantsDestroy(&v));
  PetscFunctionReturn(0);
}

static PetscErrorCode ExportOptions(MPI_Comm comm, char out[], size_t lout, char format[], size_t lformat)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(comm, NULL, "havoc mesh export", NULL);
  PetscCall(PetscOptionsString("-o", "file to write", NULL, out, out, lout, NULL));
  PetscCall(PetscOptionsString("-format", "csv (one row per vessel, SI) or vtk (legacy VTK polylines, mm, for ParaView)", NULL, format, format, lformat, NULL));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

static PetscErrorCode MeshExport(MPI_Comm comm, const HavocArgs *args)
{
  const char *path                    = NULL;
  char        out[PETSC_MAX_PATH_LEN] = "", format[16] = "csv";
  HavocMesh   mesh;

  PetscFunctionBeginUser;
  PetscCall(MeshFile(comm, args, &path));
  PetscCall(ExportOptions(comm, out, sizeof(out), format, sizeof(format)));
  HavocCheckUser(out[0], comm, "havoc mesh export: missing -o OUT, the file to write");
  PetscCall(HavocMeshRead(comm, path, &mesh));
  PetscCall(HavocOptionsCheckUnused(comm));
  PetscCall(HavocMeshExport(comm, mesh, format, out));
  PetscCall(PetscPrintf(comm, "%s: %" PetscInt_FMT " vessel%s written to %s (%s)\n", path, mesh->nvessels, mesh->nvessels == 1 ? "" : "s", out, format));
  PetscCall(HavocMeshDestroy(&mesh));
  PetscFunctionReturn(0);
}

/* With -help: the usage and the options of every subcommand, and nothing else is done. */
static PetscErrorCode MeshHelp(MPI_Comm comm)
{
  char          path[PETSC_MAX_PATH_LEN] = "";
  PetscReal     dx                       = 1e-3;
  PetscInt      min_cells                = 3;
  HavocTreeSpec spec;

  PetscFunctionBeginUser;
  PetscCall(PetscPrintf(comm, "%s", mesh_usage));
  PetscCall(HavocTreeSpecDefault(&spec));
  PetscCall(InfoOptions(comm, &dx, &min_cells));
  PetscCall(GenerateOptions(comm, path, sizeof(path), &spec));
  {
    char variants[PETSC_MAX_PATH_LEN];
    path[0] = 0;
    PetscCall(SampleOptions(comm, path, sizeof(path), variants, sizeof(variants)));
  }
  {
    char out[PETSC_MAX_PATH_LEN] = "", format[16] = "csv";
    PetscCall(ExportOptions(comm, out, sizeof(out), format, sizeof(format)));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCmdMesh(MPI_Comm comm, const HavocArgs *args)
{
  const char *sub = args->npos ? args->pos[0] : NULL;
  PetscBool   help;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  if (help) {
    PetscCall(MeshHelp(comm));
    PetscFunctionReturn(0);
  }
  HavocCheckUser(sub, comm, "havoc mesh: missing subcommand, expected check, info, generate, sample or export (see havoc mesh -help)");
  HavocCheckUser(!args->nflag || !strcmp(sub, "sample"), comm, "havoc mesh %s: unexpected flag %s (only havoc mesh sample takes --seed)", sub, args->flag[0]);
  if (!strcmp(sub, "check")) PetscCall(MeshCheck(comm, args));
  else if (!strcmp(sub, "info")) PetscCall(MeshInfo(comm, args));
  else if (!strcmp(sub, "generate")) PetscCall(MeshGenerate(comm, args));
  else if (!strcmp(sub, "sample")) PetscCall(MeshSample(comm, args));
  else if (!strcmp(sub, "export")) PetscCall(MeshExport(comm, args));
  else HavocCheckUser(0, comm, "havoc mesh: unknown subcommand '%s', expected check, info, generate, sample or export", sub);
  PetscFunctionReturn(0);
}
