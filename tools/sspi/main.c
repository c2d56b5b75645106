/* tools/sspi/main.c - the `sspi` command-line tool: subcommand dispatch
 * Each subcommand lives in its own file (packages.c, demo.c, http_client.c,
 * serve.c, decode.c) and answers --help. */
#include "sspi_tool.h"

#include <string.h>

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"packages", cmd_packages, "list the security packages (EnumerateSecurityPackages)"},
    {"demo", cmd_demo, "authenticate a client and a server process over loopback, sign and seal"},
    {"http", cmd_http, "HTTP GET answering NTLM/Negotiate challenges (like curl --ntlm)"},
    {"serve", cmd_serve, "small HTTP server that requires NTLM/Negotiate authentication"},
    {"decode", cmd_decode, "decode an NTLM (or Negotiate) token into readable fields"},
    {"status", cmd_status, "name a SECURITY_STATUS code (0x8009030C) or give a name's value"},
};

bool is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "help") == 0;
}

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: " TOOL_NAME " COMMAND [OPTIONS]\n\n"
               "OpenSSPI command-line tool: the Windows SSPI, used from the shell.\n\n"
               "commands:\n");
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun '" TOOL_NAME " COMMAND --help' for the options of a command.\n");
}

int main(int argc, char **argv)
{
    size_t i;

    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (is_help(argv[1])) {
        usage(stdout);
        return 0;
    }
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, TOOL_NAME ": unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
