/* tools/sspi/serve.c - placeholder */
#include "sspi_tool.h"
int cmd_serve(int argc, char **argv)
{
    fprintf(stderr, "not yet\n");
    return 1;
}
