/* havoc: the command-line front end. Splits the command line into the subcommand, its positional words
   and flags, and the PETSc options, then dispatches. */
#include "checkpoint.h"
#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage[] = "havoc " HAVOC_VERSION ": simulation of hyaluronic-acid filler vascular occlusion\n"
                            "\n"
                            "usage:\n"
                            "  havoc run CASE.yaml [-o DIR] [options]   run a case; results in DIR (default results/<case>)\n"
                            "  havoc run --restart DIR                  continue an interrupted run from DIR/checkpoint\n"
                            "  havoc run -help                          list every option of a run, with its unit\n"
                            "  havoc mesh check FILE                    validate a network file\n"
                            "  havoc mesh info FILE [-network_dx 1mm]   summary: vessels, nodes, loops, length, cells\n"
                            "  havoc mesh generate -o FILE [options]    write a synthetic tree (havoc mesh generate -help)\n"
                            "  havoc mesh sample --seed S [-o FILE] [-variants FILE]\n"
                            "                                           draw a virtual patient (default variants:\n"
                            "                                           meshes/face/variants.yaml)\n"
                            "  havoc probe RESULT.h5 VESSEL [--at F] [--cycle last|N]\n"
                            "                                           print t_s,p_Pa,q_m3s,a_m2 at fraction F of VESSEL\n"
                            "  havoc calibrate CALIBRATION.yaml -o NETWORK.yaml [-network FILE]\n"
                            "                                           fit the outlets of a network to a healthy state\n"
                            "  havoc calibrate CALIBRATION.yaml -check DIR/summary.json\n"
                            "                                           check a run against the healthy state's ranges\n"
                            "  havoc sweep SWEEP.yaml [-o DIR] [-sweep_group_size N] [-sweep_list]\n"
                            "                                           a grid of cases as an ensemble over MPI; resumes;\n"
                            "                                           table in DIR/results.csv (docs/sweeps.md)\n"
                            "  havoc assay [-assay_product NAME -assay_volume 0.2mL -enzyme_units 20U ...]\n"
                            "                                           a gel dissolved by hyaluronidase in vitro: prints\n"
                            "                                           t_s,ha_fraction and the time to dissolution\n"
                            "  havoc render DIR [--what W] [-o FILE]    pictures of a run (PNG/SVG): tree, zones, plots\n"
                            "  havoc report DIR [-o FILE.html]          one self-contained HTML page of a run, for teaching\n"
                            "  havoc compare A B [--rtol [FIELD=]R] [--atol [FIELD=]A] [--ignore FIELD]\n"
                            "                                           compare two runs, or a run and a reference, field by field\n"
                            "  havoc version                            print the version\n"
                            "\n"
                            "Run on N ranks with: mpiexec -n N havoc run CASE.yaml\n"
                            "Exit codes: 0 success; 1 an error (bad input, a numerical fault, a file that cannot be read\n"
                            "or written), reported as one line 'havoc: error: ...' on stderr; 2 a wrong command line;\n"
                            "3 stopped by SIGTERM or SIGINT; havoc run --restart DIR continues from the checkpoint (the message says).\n"
                            "Documentation: README.md, docs/.\n";

typedef struct {
  const char *name;
  PetscErrorCode (*fn)(MPI_Comm, const HavocArgs *);
  const char *flags[12]; /* its own --flags, each taking one value */
} HavocCommand;

static const HavocCommand commands[] = {
  {"run", HavocCmdRun, {"--restart", NULL}},
  {"mesh", HavocCmdMesh, {"--seed", NULL}},
  {"probe", HavocCmdProbe, {"--at", "--cycle", NULL}},
  {"calibrate", HavocCmdCalibrate, {NULL}},
  {"assay", HavocCmdAssay, {NULL}},
  {"export", HavocCmdExport, {"--vessel", "--at", "--cycle", "--field", "--time", "--row", "--table", "-o", NULL}},
  {"render", HavocCmdRender, {"--what", "--color", "--time", "--vessels", "--size", "--frames", "-o", NULL}},
  {"report", HavocCmdReport, {"-o", NULL}},
  {"sweep", HavocCmdSweep, {"-o", "--slurm", NULL}},
  {"compare", HavocCmdCompare, {"--rtol", "--atol", "--ignore", NULL}},
};

static int IsFlag(const HavocCommand *cmd, const char *tok)
{
  for (int i = 0; cmd->flags[i]; i++)
    if (!strcmp(cmd->flags[i], tok)) return 1;
  return 0;
}

int main(int argc, char **argv)
{
  const HavocCommand *cmd = NULL;
  HavocArgs           args;
  char               *pargv[256];
  int                 pargc = 0, seen_option = 0, help = 0;
  PetscErrorCode      ierr;

  if (argc < 2) {
    fputs(usage, stdout);
    return HAVOC_EXIT_USAGE;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "-help") || !strcmp(argv[1], "help")) {
    /* the usage, then every option of a run with its unit and default */
    fputs(usage, stdout);
    printf("\nOptions of havoc run (a quantity takes a unit, e.g. -hemo_t_end 3.3s; a bare number is SI):\n");
    fflush(stdout);
    argv[1] = (char *)"run";
    argc    = 2;
    help    = 1;
  }
  if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
    printf("havoc %s (%s)\n", HAVOC_VERSION, HAVOC_GITREV);
    return HAVOC_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    if (!strcmp(argv[1], commands[i].name)) cmd = &commands[i];
  if (!cmd) {
    fprintf(stderr, "havoc: error: unknown command '%s' (expected run, mesh, probe, calibrate, assay, sweep, export, render, report, compare or version; see havoc --help)\n", argv[1]);
    return HAVOC_EXIT_USAGE;
  }
  if (argc > 250) {
    fprintf(stderr, "havoc: error: too many arguments\n");
    return HAVOC_EXIT_USAGE;
  }
  memset(&args, 0, sizeof(args));
  args.command   = cmd->name;
  pargv[pargc++] = argv[0];
  for (int i = 2; i < argc; i++) {
    const char *tok = argv[i];
    if (IsFlag(cmd, tok)) {
      if (i + 1 >= argc) {
        fprintf(stderr, "havoc: error: %s %s needs a value\n", cmd->name, tok);
        return HAVOC_EXIT_USAGE;
      }
      args.flag[args.nflag]    = tok;
      args.value[args.nflag++] = argv[++i];
    } else if (!strcmp(tok, "--help") || !strcmp(tok, "-h") || !strcmp(tok, "-help")) {
      /* set after PetscInitialize, so that only havoc's own options are listed, not PETSc's generic help */
      help        = 1;
      seen_option = 1;
    } else if (tok[0] == '-' && tok[1] == '-') {
      fprintf(stderr, "havoc: error: unknown flag '%s' for 'havoc %s' (see havoc --help)\n", tok, cmd->name);
      return HAVOC_EXIT_USAGE;
    } else if (tok[0] != '-' && !seen_option) {
      if (args.npos >= HAVOC_MAX_ARGS) {
        fprintf(stderr, "havoc: error: too many arguments\n");
        return HAVOC_EXIT_USAGE;
      }
      args.pos[args.npos++] = tok;
    } else {
      if (tok[0] == '-') seen_option = 1;
      pargv[pargc++] = argv[i];
    }
    if (args.nflag >= HAVOC_MAX_ARGS) {
      fprintf(stderr, "havoc: error: too many flags\n");
      return HAVOC_EXIT_USAGE;
    }
  }
  pargv[pargc] = NULL;
  {
    char **pa = pargv;
    ierr      = PetscInitialize(&pargc, &pa, NULL, NULL);
    if (ierr) return HAVOC_EXIT_ERROR;
  }
  /* like any filter, stop quietly when the reader of stdout goes away (havoc probe ... | head) */
  signal(SIGPIPE, SIG_DFL);
  if (help) ierr = PetscOptionsSetValue(NULL, "-help", NULL);
  if (!ierr) ierr = HavocErrorHandlerPush();
  if (!ierr) {
    ierr = HavocRegisterAll();
    if (!ierr) ierr = cmd->fn(PETSC_COMM_WORLD, &args);
    (void)HavocErrorHandlerPop();
  }
  (void)PetscFinalize();
  return ierr == HAVOC_ERR_INTERRUPTED ? HAVOC_EXIT_INTERRUPTED : ierr ? HAVOC_EXIT_ERROR
                                                                       : HAVOC_EXIT_OK;
}
