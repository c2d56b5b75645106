/* tools/sspi/decode.c - placeholder */
#include "sspi_tool.h"
int cmd_decode(int argc, char **argv)
{
    fprintf(stderr, "not yet\n");
    return 1;
}
