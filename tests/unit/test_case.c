/* Case files: YAML flattened into the PETSc options database (nested keys, lists, flags, quoted values),
   path options resolved against the case file's directory, the command line winning, the file:line of
   every option and of every error, HavocOptionsCheckUnused and HavocCaseClear. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "case.h"
#include "options.h"

#include <check.h>
#include "unittest.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];

/* Options the tests set as if from the command line; the fixture removes them after every test. */
static const char *cli_options[] = {"-hemo_cfl", "-quiet", "-hemo_cfll", "-log_view", "-petscpartitioner_type"};

static PetscErrorCode LoadString(const char *label, const char *text)
{
  PetscErrorCode ierr;

  captured[0] = 0;
  if (PetscPushErrorHandler(Capture, NULL)) return 1;
  ierr = HavocCaseLoadString(PETSC_COMM_WORLD, label, text);
  if (PetscPopErrorHandler()) return 1;
  return ierr;
}

static PetscErrorCode LoadFile(const char *path)
{
  PetscErrorCode ierr;

  captured[0] = 0;
  if (PetscPushErrorHandler(Capture, NULL)) return 1;
  ierr = HavocCaseLoad(PETSC_COMM_WORLD, path);
  if (PetscPopErrorHandler()) return 1;
  return ierr;
}

static PetscErrorCode CheckUnused(void)
{
  PetscErrorCode ierr;

  captured[0] = 0;
  if (PetscPushErrorHandler(Capture, NULL)) return 1;
  ierr = HavocOptionsCheckUnused(PETSC_COMM_WORLD);
  if (PetscPopErrorHandler()) return 1;
  return ierr;
}

static void LoadOk(const char *label, const char *text)
{
  PetscErrorCode ierr = LoadString(label, text);

  ck_assert_msg(!ierr, "valid case rejected (error %d): %s", (int)ierr, captured);
}

/* An error with its code, a message starting with `where` and containing `what`. */
static void ExpectError(PetscErrorCode ierr, PetscErrorCode code, const char *where, const char *what)
{
  ck_assert_msg(ierr == code, "error %d, expected %d with '%s ... %s' (got '%s')", (int)ierr, (int)code, where, what, captured);
  ck_assert_msg(!strncmp(captured, where, strlen(where)), "'%s' does not start with '%s'", captured, where);
  ck_assert_msg(strstr(captured, what), "'%s' does not contain '%s'", captured, what);
}

/* The option holds exactly this value (and so is not a flag). */
static void ExpectValue(const char *opt, const char *want)
{
  const char *value = NULL;
  PetscBool   set   = PETSC_FALSE;

  ck_assert(!PetscOptionsFindPair(NULL, NULL, opt, &value, &set));
  ck_assert_msg(set, "option %s is not set", opt);
  ck_assert_msg(value, "option %s is a flag, expected the value '%s'", opt, want);
  ck_assert_msg(!strcmp(value, want), "option %s is '%s', expected '%s'", opt, value, want);
}

/* The option is set without a value. */
static void ExpectFlag(const char *opt)
{
  const char *value = NULL;
  PetscBool   set   = PETSC_FALSE;

  ck_assert(!PetscOptionsFindPair(NULL, NULL, opt, &value, &set));
  ck_assert_msg(set, "option %s is not set", opt);
  ck_assert_msg(!value, "option %s has the value '%s', expected a flag", opt, value);
}

static void ExpectUnset(const char *opt)
{
  PetscBool set;

  ck_assert(!PetscOptionsHasName(NULL, NULL, opt, &set));
  ck_assert_msg(!set, "option %s is still set", opt);
}

static void ExpectOrigin(const char *opt, const char *want)
{
  const char *o = HavocCaseOrigin(opt);

  ck_assert_msg(o, "option %s has no origin, expected %s", opt, want);
  ck_assert_msg(!strcmp(o, want), "option %s comes from '%s', expected '%s'", opt, o, want);
}

static void WriteFile(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");

  ck_assert_msg(f, "cannot write %s", path);
  ck_assert(fputs(text, f) >= 0);
  ck_assert(!fclose(f));
}

static void Setup(void)
{
  captured[0] = 0;
}

static void Teardown(void)
{
  ck_assert(!HavocCaseClear());
  for (size_t i = 0; i < sizeof(cli_options) / sizeof(cli_options[0]); i++)
    ck_assert(!PetscOptionsClearValue(NULL, cli_options[i]));
}

START_TEST(nested_mappings)
{
  LoadOk("case.yaml", "hemo:\n"                         /* 1 */
                      "  cfl: 0.5\n"                    /* 2 */
                      "  junction:\n"                   /* 3 */
                      "    ptol: 1e-3 Pa\n"             /* 4 */
                      "blood: {density: 1060 kg/m^3}\n" /* 5 */
                      "network_dx: 1 mm\n");            /* 6 */
  ExpectValue("-hemo_cfl", "0.5");
  ExpectValue("-hemo_junction_ptol", "1e-3 Pa");
  ExpectValue("-blood_density", "1060 kg/m^3");
  ExpectValue("-network_dx", "1 mm");
  ExpectUnset("-hemo");
  ExpectUnset("-hemo_junction");
  ExpectOrigin("-hemo_cfl", "case.yaml:2");
  ExpectOrigin("-hemo_junction_ptol", "case.yaml:4");
  ExpectOrigin("-blood_density", "case.yaml:5");
  ExpectOrigin("-network_dx", "case.yaml:6");
}
END_TEST

START_TEST(lists)
{
  LoadOk("case.yaml", "output:\n"                         /* 1 */
                      "  probe_fractions: [0, 0.25, 1]\n" /* 2 */
                      "names:\n"                          /* 3 */
                      "  - a\n"                           /* 4 */
                      "  - b c\n"                         /* 5 */
                      "one: [7]\n");                      /* 6 */
  ExpectValue("-output_probe_fractions", "0,0.25,1");
  ExpectValue("-names", "a,b c");
  ExpectValue("-one", "7");
  /* a list is remembered at its key, not at its items */
  ExpectOrigin("-output_probe_fractions", "case.yaml:2");
  ExpectOrigin("-names", "case.yaml:3");
}
END_TEST

START_TEST(flags)
{
  LoadOk("case.yaml", "quiet:\n"
                      "hemo:\n"
                      "  verbose: null\n"
                      "  tilde: ~\n"
                      "  quoted: 'null'\n"
                      "  word: \"~\"\n");
  ExpectFlag("-quiet");
  ExpectFlag("-hemo_verbose");
  ExpectFlag("-hemo_tilde");
  /* only the plain null is a flag: quoted, it is the text */
  ExpectValue("-hemo_quoted", "null");
  ExpectValue("-hemo_word", "~");
  ExpectOrigin("-quiet", "case.yaml:1");
  ExpectOrigin("-hemo_verbose", "case.yaml:3");
}
END_TEST

START_TEST(values_keep_spaces)
{
  LoadOk("case.yaml", "blood:\n"
                      "  viscosity: \"4e-3 Pa s\"\n"
                      "hemo:\n"
                      "  p0: '10.9 kPa'\n"
                      "  t_end: 3.3 s\n"
                      "case: {description: \"a: b, c\"}\n");
  ExpectValue("-blood_viscosity", "4e-3 Pa s");
  ExpectValue("-hemo_p0", "10.9 kPa");
  ExpectValue("-hemo_t_end", "3.3 s");
  ExpectValue("-case_description", "a: b, c");
}
END_TEST

/* Every path key of the case below and what its value becomes, relative to the case file's directory
   (NULL: left as written). */
static const char path_case[] = "mesh: net.yaml\n"
                                "inlet: {table: flow.dat}\n"
                                "output: {dir: out/run1}\n"
                                "report_file: r.txt\n"
                                "cache_dir: c\n"
                                "left_mesh: ../l.yaml\n"
                                "pressure_table: p.dat\n"
                                "abs_mesh: /data/net.yaml\n"
                                "inlet_file: /data/in.dat\n"
                                "case: {name: sub/x}\n"
                                "profile: prof.txt\n"
                                "meshes: m.yaml\n"
                                "tables: t.dat\n"
                                "empty_file:\n";
static const struct {
  const char *opt, *rel;
} path_options[] = {
  {"-mesh", "net.yaml"},
  {"-inlet_table", "flow.dat"},
  {"-output_dir", "out/run1"},
  {"-report_file", "r.txt"},
  {"-cache_dir", "c"},
  {"-left_mesh", "../l.yaml"},
  {"-pressure_table", "p.dat"},
};
static const struct {
  const char *opt, *value;
} kept_options[] = {
  {"-abs_mesh", "/data/net.yaml"},
  {"-inlet_file", "/data/in.dat"},
  {"-case_name", "sub/x"},
  {"-profile", "prof.txt"},
  {"-meshes", "m.yaml"},
  {"-tables", "t.dat"},
};

START_TEST(paths_relative_to_case_file)
{
  char path[256], want[512];

  snprintf(path, sizeof(path), "%s/case.yaml", tmpdir);
  WriteFile(path, path_case);
  ck_assert_msg(!LoadFile(path), "%s", captured);
  for (size_t i = 0; i < sizeof(path_options) / sizeof(path_options[0]); i++) {
    snprintf(want, sizeof(want), "%s/%s", tmpdir, path_options[i].rel);
    ExpectValue(path_options[i].opt, want);
  }
  for (size_t i = 0; i < sizeof(kept_options) / sizeof(kept_options[0]); i++)
    ExpectValue(kept_options[i].opt, kept_options[i].value);
  ExpectFlag("-empty_file");
  snprintf(want, sizeof(want), "%s:2", path);
  ExpectOrigin("-inlet_table", want);
  ck_assert(!remove(path));
}
END_TEST

/* A case file named by a relative path: its paths become relative to the working directory. */
START_TEST(paths_relative_case_path)
{
  char        cwd[PATH_MAX], path[256];
  const char *base = strrchr(tmpdir, '/') + 1;

  ck_assert(getcwd(cwd, sizeof(cwd)));
  snprintf(path, sizeof(path), "%s/case.yaml", tmpdir);
  WriteFile(path, "mesh: net.yaml\ninlet: {table: /abs/flow.dat}\n");
  ck_assert(!chdir("/tmp"));
  snprintf(path, sizeof(path), "%s/case.yaml", base);
  ck_assert_msg(!LoadFile(path), "%s", captured);
  ck_assert(!chdir(cwd));
  snprintf(path, sizeof(path), "%s/net.yaml", base);
  ExpectValue("-mesh", path);
  ExpectValue("-inlet_table", "/abs/flow.dat");
  snprintf(path, sizeof(path), "%s/case.yaml:1", base);
  ExpectOrigin("-mesh", path);
  snprintf(path, sizeof(path), "%s/case.yaml", tmpdir);
  ck_assert(!remove(path));
}
END_TEST

/* Text has no directory: its paths stay as written. */
START_TEST(paths_from_string)
{
  LoadOk("case.yaml", "mesh: net.yaml\ninlet: {table: flow.dat}\n");
  ExpectValue("-mesh", "net.yaml");
  ExpectValue("-inlet_table", "flow.dat");
}
END_TEST

START_TEST(command_line_wins)
{
  ck_assert(!PetscOptionsSetValue(NULL, "-hemo_cfl", "0.5"));
  ck_assert(!PetscOptionsSetValue(NULL, "-quiet", NULL));
  LoadOk("case.yaml", "hemo: {cfl: 0.9, p0: 1 kPa}\nquiet: false\n");
  ExpectValue("-hemo_cfl", "0.5");
  ExpectFlag("-quiet");
  ExpectValue("-hemo_p0", "1 kPa");
  ck_assert_msg(!HavocCaseOrigin("-hemo_cfl"), "a command-line option has the origin %s", HavocCaseOrigin("-hemo_cfl"));
  ck_assert(!HavocCaseOrigin("-quiet"));
  ExpectOrigin("-hemo_p0", "case.yaml:1");
  /* a second case may give it again: the command line still wins, it is not "set twice" */
  LoadOk("other.yaml", "hemo: {cfl: 0.7}\n");
  ExpectValue("-hemo_cfl", "0.5");
  /* clearing the case leaves the command line alone */
  ck_assert(!HavocCaseClear());
  ExpectValue("-hemo_cfl", "0.5");
  ExpectFlag("-quiet");
  ExpectUnset("-hemo_p0");
}
END_TEST

START_TEST(origin)
{
  LoadOk("dir/case.yaml", "# a comment\n"
                          "\n"
                          "hemo:\n"
                          "  cfl: 0.9\n");
  ExpectOrigin("-hemo_cfl", "dir/case.yaml:4");
  ExpectOrigin("hemo_cfl", "dir/case.yaml:4");
  ck_assert(!HavocCaseOrigin("-hemo_p0"));
  ck_assert(!HavocCaseOrigin("-hemo"));
}
END_TEST

static const struct {
  const char *text;
  const char *where; /* "bad.yaml:LINE:" */
  const char *what;
} bad[] = {
  /* duplicate keys, at any level */
  {"hemo:\n  cfl: 0.5\n  p0: 1\n  cfl: 0.9\n", "bad.yaml:4:", "key 'cfl' appears twice (first at line 2)"},
  {"mesh: a.yaml\nhemo: {cfl: 1}\nmesh: b.yaml\n", "bad.yaml:3:", "key 'mesh' appears twice (first at line 1)"},
  /* the same option through two spellings */
  {"hemo: {cfl: 1}\nhemo_cfl: 2\n", "bad.yaml:2:", "option -hemo_cfl is set twice (also at bad.yaml:1)"},
  /* keys that are not option names */
  {"hemo-cfl: 1\n", "bad.yaml:1:", "'hemo-cfl' is not an option name"},
  {"hemo:\n  c.fl: 1\n", "bad.yaml:2:", "'c.fl' is not an option name"},
  {"hemo:\n  cfl 2: 1\n", "bad.yaml:2:", "'cfl 2' is not an option name"},
  {"'': 1\n", "bad.yaml:1:", "a key must be a plain name"},
  {"hemo: {cfl: 1}\n[a, b]: 1\n", "bad.yaml:2:", "a key must be a plain name"},
  /* lists hold plain values only */
  {"output:\n  probe_fractions:\n    - 0\n    - {at: 1}\n", "bad.yaml:4:", "a list may hold only plain values"},
  {"output:\n  probe_fractions: [0, [1, 2]]\n", "bad.yaml:2:", "a list may hold only plain values"},
  /* the document must be a mapping */
  {"- hemo_cfl\n- 1\n", "bad.yaml:1:", "expected a mapping of options"},
  /* YAML syntax */
  {"hemo:\n  cfl: 0.9: 1\n", "bad.yaml:2:", "YAML syntax error"},
  {"hemo:\n  cfl: 0.9\n   dx: 1\n", "bad.yaml:3:", "YAML syntax error"},
  {"hemo: {cfl: 1}\n- blood\n", "bad.yaml:2:", "YAML syntax error"},
  {"a: 1\nb: 2\n\tc: 3\n", "bad.yaml:3:", "YAML syntax error"},
  /* a second document would otherwise be dropped without a word */
  {"hemo: {cfl: 1}\n---\nhemo: {p0: 1 kPa}\n", "bad.yaml:3:", "document"},
};

START_TEST(rejects)
{
  ExpectError(LoadString("bad.yaml", bad[_i].text), PETSC_ERR_USER_INPUT, bad[_i].where, bad[_i].what);
}
END_TEST

START_TEST(set_twice_in_two_files)
{
  LoadOk("a.yaml", "hemo:\n  cfl: 0.9\n");
  ExpectError(LoadString("b.yaml", "blood: {density: 1060}\n\nhemo:\n  cfl: 0.8\n"), PETSC_ERR_USER_INPUT, "b.yaml:4:", "option -hemo_cfl is set twice (also at a.yaml:2)");
  ExpectValue("-hemo_cfl", "0.9");
}
END_TEST

START_TEST(missing_file)
{
  char path[256], want[512];

  snprintf(path, sizeof(path), "%s/nope.yaml", tmpdir);
  snprintf(want, sizeof(want), "cannot open case file '%s': No such file or directory", path);
  ck_assert_int_eq(LoadFile(path), PETSC_ERR_FILE_OPEN);
  ck_assert_str_eq(captured, want);
}
END_TEST

START_TEST(empty_file)
{
  char path[256];

  snprintf(path, sizeof(path), "%s/empty.yaml", tmpdir);
  WriteFile(path, "# nothing\n");
  ck_assert_msg(!LoadFile(path), "%s", captured);
  ck_assert(!remove(path));
  LoadOk("empty.yaml", "");
}
END_TEST

/* Marks the option used, as a PetscOptionsBegin block would. */
static void Use(const char *opt)
{
  PetscBool set;

  ck_assert(!PetscOptionsHasName(NULL, NULL, opt, &set));
  ck_assert_msg(set, "option %s is not set", opt);
}

START_TEST(unused_option)
{
  LoadOk("case.yaml", "hemo:\n"               /* 1 */
                      "  cfl: 0.9\n"          /* 2 */
                      "blood:\n"              /* 3 */
                      "  density: 1060\n"     /* 4 */
                      "  viscosity: 4e-3\n"); /* 5 */
  Use("-hemo_cfl");
  ExpectError(CheckUnused(), PETSC_ERR_USER_INPUT, "case.yaml:4: unknown option -blood_density", "havoc run -help");
  Use("-blood_density");
  ExpectError(CheckUnused(), PETSC_ERR_USER_INPUT, "case.yaml:5: unknown option -blood_viscosity", "no part of havoc uses it");
  Use("-blood_viscosity");
  ck_assert_msg(!CheckUnused(), "%s", captured);
}
END_TEST

/* An option from the command line has no file and line. */
START_TEST(unused_command_line_option)
{
  ck_assert(!PetscOptionsSetValue(NULL, "-hemo_cfll", "0.5"));
  ExpectError(CheckUnused(), PETSC_ERR_USER_INPUT, "unknown option -hemo_cfll ", "havoc run -help");
  Use("-hemo_cfll");
  ck_assert_msg(!CheckUnused(), "%s", captured);
}
END_TEST

/* PETSc reads these at finalize or not at all on one rank: never report them. -malloc_dump may be on the
   test's own command line, where PetscInitialize used it: it is set again, unused, with the same value. */
START_TEST(petsc_options_ignored)
{
  char      dump[PETSC_MAX_PATH_LEN] = "";
  PetscBool had;

  ck_assert(!PetscOptionsGetString(NULL, NULL, "-malloc_dump", dump, sizeof(dump), &had));
  ck_assert(!PetscOptionsClearValue(NULL, "-malloc_dump"));
  ck_assert(!PetscOptionsSetValue(NULL, "-malloc_dump", dump[0] ? dump : NULL));
  ck_assert(!PetscOptionsSetValue(NULL, "-log_view", NULL));
  LoadOk("case.yaml", "petscpartitioner_type: simple\nhemo: {cfl: 0.9}\n");
  Use("-hemo_cfl");
  for (int i = 0; i < 3; i++) {
    const char *opt[] = {"-malloc_dump", "-log_view", "-petscpartitioner_type"};
    PetscBool   used;
    ck_assert(!PetscOptionsUsed(NULL, opt[i], &used));
    ck_assert_msg(!used, "%s is used already: the test would prove nothing", opt[i]);
  }
  ck_assert_msg(!CheckUnused(), "%s", captured);
  if (!had) ck_assert(!PetscOptionsClearValue(NULL, "-malloc_dump"));
}
END_TEST

START_TEST(clear)
{
  LoadOk("case.yaml", "hemo: {cfl: 0.9}\nquiet:\noutput: {probe_fractions: [0, 1]}\n");
  ck_assert(!HavocCaseClear());
  ExpectUnset("-hemo_cfl");
  ExpectUnset("-quiet");
  ExpectUnset("-output_probe_fractions");
  ck_assert(!HavocCaseOrigin("-hemo_cfl"));
  ck_assert_msg(!CheckUnused(), "%s", captured);
  /* the same case again is not "set twice" */
  LoadOk("case.yaml", "hemo: {cfl: 0.8}\n");
  ExpectValue("-hemo_cfl", "0.8");
  ExpectOrigin("-hemo_cfl", "case.yaml:1");
}
END_TEST

int main(int argc, char **argv)
{
  Suite *suite = suite_create("case");
  TCase *load = tcase_create("load"), *paths = tcase_create("paths"), *errors = tcase_create("errors"), *unused = tcase_create("unused");
  int    failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  snprintf(tmpdir, sizeof(tmpdir), "/tmp/havoc-test-case-XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  tcase_add_checked_fixture(load, Setup, Teardown);
  tcase_add_checked_fixture(paths, Setup, Teardown);
  tcase_add_checked_fixture(errors, Setup, Teardown);
  tcase_add_checked_fixture(unused, Setup, Teardown);
  tcase_add_test(load, nested_mappings);
  tcase_add_test(load, lists);
  tcase_add_test(load, flags);
  tcase_add_test(load, values_keep_spaces);
  tcase_add_test(load, command_line_wins);
  tcase_add_test(load, origin);
  tcase_add_test(load, empty_file);
  tcase_add_test(load, clear);
  tcase_add_test(paths, paths_relative_to_case_file);
  tcase_add_test(paths, paths_relative_case_path);
  tcase_add_test(paths, paths_from_string);
  tcase_add_loop_test(errors, rejects, 0, (int)(sizeof(bad) / sizeof(bad[0])));
  tcase_add_test(errors, set_twice_in_two_files);
  tcase_add_test(errors, missing_file);
  tcase_add_test(unused, unused_option);
  tcase_add_test(unused, unused_command_line_option);
  tcase_add_test(unused, petsc_options_ignored);
  suite_add_tcase(suite, load);
  suite_add_tcase(suite, paths);
  suite_add_tcase(suite, errors);
  suite_add_tcase(suite, unused);
  failed = HavocRunSuite(suite);
  rmdir(tmpdir);
  if (PetscFinalize()) return 1;
  return failed ? 1 : 0;
}
