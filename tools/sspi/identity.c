/* tools/sspi/identity.c - user names and passwords given on the command line
 * Builds the SEC_WINNT_AUTH_IDENTITY_A handed to AcquireCredentialsHandleA. */
#include "sspi_tool.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;

    while (n-- > 0)
        *v++ = 0;
}

void wipe_free(char *s)
{
    if (s == NULL)
        return;
    wipe(s, strlen(s));
    free(s);
}

static char *dup_range(const char *s, size_t n)
{
    char *d = malloc(n + 1);

    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

bool identity_init(struct tool_identity *ti, const char *user_arg, const char *password)
{
    const char *bs = strchr(user_arg, '\\');

    memset(ti, 0, sizeof(*ti));
    if (bs != NULL) {
        ti->domain = dup_range(user_arg, (size_t)(bs - user_arg));
        ti->user = dup_range(bs + 1, strlen(bs + 1));
    } else {
        ti->domain = dup_range("", 0);
        ti->user = dup_range(user_arg, strlen(user_arg));
    }
    ti->password = dup_range(password, strlen(password));
    if (ti->domain == NULL || ti->user == NULL || ti->password == NULL) {
        identity_free(ti);
        return false;
    }
    ti->id.User = (unsigned char *)ti->user;
    ti->id.UserLength = (ULONG)strlen(ti->user);
    ti->id.Domain = (unsigned char *)ti->domain;
    ti->id.DomainLength = (ULONG)strlen(ti->domain);
    ti->id.Password = (unsigned char *)ti->password;
    ti->id.PasswordLength = (ULONG)strlen(ti->password);
    ti->id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    return true;
}

void identity_free(struct tool_identity *ti)
{
    free(ti->user);
    free(ti->domain);
    wipe_free(ti->password);
    memset(ti, 0, sizeof(*ti));
}

char *password_from_env_or_prompt(const char *given, const char *user)
{
    const char *env = getenv("SSPI_PASSWORD");
    struct termios old, quiet;
    char line[512];
    size_t n = 0;
    int fd;
    bool echo_off;

    if (given != NULL)
        return dup_range(given, strlen(given));
    if (env != NULL)
        return dup_range(env, strlen(env));
    fd = open("/dev/tty", O_RDWR | O_NOCTTY);
    if (fd < 0)
        return NULL;
    dprintf(fd, "Password for %s: ", user);
    echo_off = tcgetattr(fd, &old) == 0;
    if (echo_off) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    while (n + 1 < sizeof(line)) {
        char ch;
        if (read(fd, &ch, 1) != 1 || ch == '\n')
            break;
        line[n++] = ch;
    }
    line[n] = '\0';
    if (echo_off)
        tcsetattr(fd, TCSAFLUSH, &old);
    dprintf(fd, "\n");
    close(fd);
    char *pw = dup_range(line, n);
    wipe(line, sizeof(line));
    return pw;
}
