/* tools/sspi/http_client.c - placeholder */
#include "sspi_tool.h"
int cmd_http(int argc, char **argv)
{
    fprintf(stderr, "not yet\n");
    return 1;
}
