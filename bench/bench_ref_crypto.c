/* bench/bench_ref_crypto.c - what NTLM costs in bare OpenSSL calls
 * The reference the SSPI benchmarks are compared with: the cryptography an
 * NTLMv2 handshake and NTLM message protection need, called directly, with no
 * parsing, state machine, handles or buffers around it.
 *
 * Modes (one line of key=value results each, like bench_sspi):
 *   sign SIZE [-s SECONDS]   one MakeSignature+VerifySignature round trip's
 *                            crypto: HMAC-MD5(seq || data) and RC4 of the 8-byte
 *                            checksum on each side
 *   seal SIZE [-s SECONDS]   EncryptMessage+DecryptMessage's: as sign, plus RC4
 *                            over the data on each side. The ceiling for an
 *                            SSPI: HMAC key schedules precomputed, in-place RC4.
 *   handshake [-s SECONDS] [--api low|evp]
 *                            the crypto of one NTLMv2 handshake (with MIC, key
 *                            exchange and extended session security), both
 *                            sides; see ref_handshake()
 *   count N [--api low|evp]  N of those inside ref_counted_handshakes(), for
 *                            valgrind --tool=callgrind
 *                            --toggle-collect=ref_counted_handshakes
 *   msgcount sign|seal SIZE N
 *                            N round trips inside ref_counted_messages()
 * --api low (default) uses OpenSSL's low-level MD4_/MD5_/RC4_ functions (no
 * provider); --api evp the OpenSSL 3 way: EVP_Digest, HMAC() and EVP_rc4
 * from the legacy provider. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md4.h>
#include <openssl/md5.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/rc4.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_ref_crypto: %s failed\n", what);
    exit(1);
}

/* ---- HMAC-MD5 with a precomputed key schedule (low-level MD5) ------------ */

struct hkey {
    MD5_CTX in, out;
};

static void hkey_init(struct hkey *k, const uint8_t *key, size_t klen)
{
    uint8_t ip[64], op[64];
    memset(ip, 0x36, sizeof(ip));
    memset(op, 0x5c, sizeof(op));
    for (size_t i = 0; i < klen && i < 64; i++) {
        ip[i] ^= key[i];
        op[i] ^= key[i];
    }
    MD5_Init(&k->in);
    MD5_Update(&k->in, ip, 64);
    MD5_Init(&k->out);
    MD5_Update(&k->out, op, 64);
    OPENSSL_cleanse(ip, sizeof(ip));
    OPENSSL_cleanse(op, sizeof(op));
}

struct piece {
    const void *p;
    size_t n;
};

static void hmac_pieces(const struct hkey *k, const struct piece *v, size_t nv, uint8_t out[16])
{
    MD5_CTX c = k->in;
    for (size_t i = 0; i < nv; i++)
        MD5_Update(&c, v[i].p, v[i].n);
    MD5_Final(out, &c);
    c = k->out;
    MD5_Update(&c, out, 16);
    MD5_Final(out, &c);
}

/* ---- message protection ceiling ------------------------------------------ */

struct side {
    struct hkey sign;
    RC4_KEY seal;
};

struct msg_ref {
    struct side send, recv; /* same keys: the client's, as both ends hold them */
    uint8_t *data;
    size_t size;
    uint32_t seq;
    int seal;
};

/* roundtrip - the client protects data in place and writes the 16-byte
 * trailer (version, checksum, sequence number); the server undoes it and
 * checks the checksum. */
static void roundtrip(struct msg_ref *m)
{
    uint8_t tok[16], mac[16], seqle[4];
    seqle[0] = (uint8_t)m->seq;
    seqle[1] = (uint8_t)(m->seq >> 8);
    seqle[2] = (uint8_t)(m->seq >> 16);
    seqle[3] = (uint8_t)(m->seq >> 24);
    struct piece v[2] = { { seqle, 4 }, { m->data, m->size } };

    hmac_pieces(&m->send.sign, v, 2, mac);
    if (m->seal)
        RC4(&m->send.seal, m->size, m->data, m->data);
    tok[0] = 1, tok[1] = tok[2] = tok[3] = 0;
    RC4(&m->send.seal, 8, mac, tok + 4);
    memcpy(tok + 12, seqle, 4);

    if (m->seal)
        RC4(&m->recv.seal, m->size, m->data, m->data);
    hmac_pieces(&m->recv.sign, v, 2, mac);
    uint8_t want[8];
    RC4(&m->recv.seal, 8, mac, want);
    if (CRYPTO_memcmp(want, tok + 4, 8) != 0 || memcmp(tok + 12, seqle, 4) != 0)
        die("checksum verification");
    m->seq++;
}

static void msg_ref_init(struct msg_ref *m, int seal, size_t size)
{
    static const uint8_t sign_key[16] = "0123456789abcdef", seal_key[16] = "fedcba9876543210";
    memset(m, 0, sizeof(*m));
    m->seal = seal;
    m->size = size;
    m->data = malloc(size ? size : 1);
    if (!m->data)
        die("malloc");
    for (size_t i = 0; i < size; i++)
        m->data[i] = (uint8_t)(i * 31 + 7);
    hkey_init(&m->send.sign, sign_key, 16);
    hkey_init(&m->recv.sign, sign_key, 16);
    RC4_set_key(&m->send.seal, 16, seal_key);
    RC4_set_key(&m->recv.seal, 16, seal_key);
}

void ref_counted_messages(struct msg_ref *m, int n);

/* ref_counted_messages - n round trips; callgrind collects only in here. */
__attribute__((noinline)) void ref_counted_messages(struct msg_ref *m, int n)
{
    for (int i = 0; i < n; i++)
        roundtrip(m);
}

static int run_messages(int seal, size_t size, double secs)
{
    struct msg_ref m;
    msg_ref_init(&m, seal, size);

    uint64_t batch = size ? 65536 / size : 256;
    if (batch < 1)
        batch = 1;
    if (batch > 256)
        batch = 256;
    double warm = secs / 5 < 0.2 ? secs / 5 : 0.2;
    double t0 = now_s(), t;
    do {
        for (uint64_t i = 0; i < batch; i++)
            roundtrip(&m);
    } while (now_s() - t0 < warm);
    uint64_t ops = 0;
    t0 = now_s();
    do {
        for (uint64_t i = 0; i < batch; i++)
            roundtrip(&m);
        ops += batch;
        t = now_s();
    } while (t - t0 < secs);
    for (size_t i = 0; i < size; i++)
        if (m.data[i] != (uint8_t)(i * 31 + 7))
            die("round trip");
    double rate = (double)ops / (t - t0);
    printf("impl=openssl mode=%s size=%zu ops=%llu secs=%.3f rate=%.1f mbps=%.2f\n",
           seal ? "seal" : "sign", size, (unsigned long long)ops, t - t0, rate,
           rate * (double)size / 1e6);
    free(m.data);
    return 0;
}

/* ---- the crypto of one handshake ----------------------------------------- */

/* Two implementations of the primitives a handshake needs. */
struct prims {
    void (*md4)(const void *p, size_t n, uint8_t out[16]);
    void (*md5_2)(const void *a, size_t an, const void *b, size_t bn, uint8_t out[16]);
    void (*hmac)(const uint8_t key[16], const struct piece *v, size_t nv, uint8_t out[16]);
    void (*rc4_once)(const uint8_t key[16], const uint8_t in[16], uint8_t out[16]);
    void *(*rc4_state)(const uint8_t key[16]); /* a sealing state, kept until freed */
    void (*rc4_free)(void *state);
};

static void low_md4(const void *p, size_t n, uint8_t out[16])
{
    MD4(p, n, out);
}

static void low_md5_2(const void *a, size_t an, const void *b, size_t bn, uint8_t out[16])
{
    MD5_CTX c;
    MD5_Init(&c);
    MD5_Update(&c, a, an);
    MD5_Update(&c, b, bn);
    MD5_Final(out, &c);
}

static void low_hmac(const uint8_t key[16], const struct piece *v, size_t nv, uint8_t out[16])
{
    struct hkey k;
    hkey_init(&k, key, 16);
    hmac_pieces(&k, v, nv, out);
    OPENSSL_cleanse(&k, sizeof(k));
}

static void low_rc4_once(const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
    RC4_KEY k;
    RC4_set_key(&k, 16, key);
    RC4(&k, 16, in, out);
    OPENSSL_cleanse(&k, sizeof(k));
}

static void *low_rc4_state(const uint8_t key[16])
{
    RC4_KEY *k = malloc(sizeof(*k));
    if (!k)
        die("malloc");
    RC4_set_key(k, 16, key);
    return k;
}

static void low_rc4_free(void *state)
{
    OPENSSL_clear_free(state, sizeof(RC4_KEY));
}

static const struct prims prims_low = { low_md4,      low_md5_2,     low_hmac,
                                        low_rc4_once, low_rc4_state, low_rc4_free };

static void evp_md4(const void *p, size_t n, uint8_t out[16])
{
    if (!EVP_Digest(p, n, out, NULL, EVP_md4(), NULL))
        die("EVP_Digest(MD4)");
}

static void evp_md5_2(const void *a, size_t an, const void *b, size_t bn, uint8_t out[16])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c || !EVP_DigestInit_ex(c, EVP_md5(), NULL) || !EVP_DigestUpdate(c, a, an)
        || !EVP_DigestUpdate(c, b, bn) || !EVP_DigestFinal_ex(c, out, NULL))
        die("EVP MD5");
    EVP_MD_CTX_free(c);
}

static void evp_hmac(const uint8_t key[16], const struct piece *v, size_t nv, uint8_t out[16])
{
    /* one buffer, as a caller of the one-shot HMAC() would build */
    uint8_t buf[1024];
    size_t n = 0;
    for (size_t i = 0; i < nv; i++) {
        if (v[i].n > sizeof(buf) - n)
            die("hmac input size");
        memcpy(buf + n, v[i].p, v[i].n);
        n += v[i].n;
    }
    unsigned len = 16;
    if (!HMAC(EVP_md5(), key, 16, buf, n, out, &len))
        die("HMAC");
}

static void evp_rc4_once(const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
    int len;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!c || !EVP_EncryptInit_ex(c, EVP_rc4(), NULL, key, NULL)
        || !EVP_EncryptUpdate(c, out, &len, in, 16))
        die("EVP RC4");
    EVP_CIPHER_CTX_free(c);
}

static void *evp_rc4_state(const uint8_t key[16])
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!c || !EVP_EncryptInit_ex(c, EVP_rc4(), NULL, key, NULL))
        die("EVP RC4");
    return c;
}

static void evp_rc4_free(void *state)
{
    EVP_CIPHER_CTX_free(state);
}

static const struct prims prims_evp = { evp_md4,      evp_md5_2,     evp_hmac,
                                        evp_rc4_once, evp_rc4_state, evp_rc4_free };

/* Messages of typical sizes (as our and Windows' NTLM write them): the MIC
 * covers all three, the NTLMv2 client blob is hashed into NTProofStr. */
static uint8_t msg_negotiate[40], msg_challenge[200], msg_authenticate[380], blob[220];
static uint8_t password16[30], user_domain16[34];

static const char magic_c2s_sign[] = "session key to client-to-server signing key magic constant";
static const char magic_s2c_sign[] = "session key to server-to-client signing key magic constant";
static const char magic_c2s_seal[] = "session key to client-to-server sealing key magic constant";
static const char magic_s2c_seal[] = "session key to server-to-client sealing key magic constant";

/* derive_keys - MS-NLMP 3.4.5.2/3.4.5.3: four MD5s of the exported session
 * key and a constant (with its NUL), then the two RC4 sealing states. */
static void derive_keys(const struct prims *P, const uint8_t esk[16], void *rc4[2])
{
    uint8_t k[4][16];
    P->md5_2(esk, 16, magic_c2s_sign, sizeof(magic_c2s_sign), k[0]);
    P->md5_2(esk, 16, magic_s2c_sign, sizeof(magic_s2c_sign), k[1]);
    P->md5_2(esk, 16, magic_c2s_seal, sizeof(magic_c2s_seal), k[2]);
    P->md5_2(esk, 16, magic_s2c_seal, sizeof(magic_s2c_seal), k[3]);
    rc4[0] = P->rc4_state(k[2]);
    rc4[1] = P->rc4_state(k[3]);
    OPENSSL_cleanse(k, sizeof(k));
}

/* ref_handshake - both sides of an NTLMv2 handshake, cryptography only:
 *   server: 8 random bytes (challenge)
 *   client: 24 random bytes (client challenge, exported session key), NT hash
 *           (MD4; counted once per handshake, as for a store of passwords),
 *           NTOWFv2, NTProofStr, session base key (3 HMAC-MD5), RC4 of the
 *           exported session key, MIC (HMAC-MD5 of the three messages), four
 *           key MD5s and two RC4 key schedules
 *   server: NTOWFv2, NTProofStr, session base key (3 HMAC-MD5), RC4, MIC,
 *           four MD5s, two RC4 key schedules, and the two constant-time
 *           compares. */
static void ref_handshake(const struct prims *P)
{
    uint8_t sc[8], cr[24], nt[16], v2[16], proof[16], sbk[16], enc_esk[16], mic[16];
    void *c_rc4[2], *s_rc4[2];

    if (RAND_bytes(sc, sizeof(sc)) != 1)
        die("RAND_bytes");
    memcpy(msg_challenge + 24, sc, 8);

    /* client */
    if (RAND_bytes(cr, sizeof(cr)) != 1)
        die("RAND_bytes");
    memcpy(blob + 16, cr, 8);
    P->md4(password16, sizeof(password16), nt);
    struct piece ud = { user_domain16, sizeof(user_domain16) };
    P->hmac(nt, &ud, 1, v2);
    struct piece pr[2] = { { sc, 8 }, { blob, sizeof(blob) } };
    P->hmac(v2, pr, 2, proof);
    struct piece pp = { proof, 16 };
    P->hmac(v2, &pp, 1, sbk);
    P->rc4_once(sbk, cr + 8, enc_esk);
    memcpy(msg_authenticate + 100, proof, 16);
    memcpy(msg_authenticate + 340, enc_esk, 16);
    struct piece msgs[3] = { { msg_negotiate, sizeof(msg_negotiate) },
                             { msg_challenge, sizeof(msg_challenge) },
                             { msg_authenticate, sizeof(msg_authenticate) } };
    P->hmac(cr + 8, msgs, 3, mic);
    derive_keys(P, cr + 8, c_rc4);

    /* server (the MIC field is zero while it is computed; left as is here) */
    uint8_t s_v2[16], s_proof[16], s_sbk[16], s_esk[16], s_mic[16];
    P->hmac(nt, &ud, 1, s_v2);
    P->hmac(s_v2, pr, 2, s_proof);
    if (CRYPTO_memcmp(s_proof, proof, 16) != 0)
        die("NTProofStr");
    struct piece sp = { s_proof, 16 };
    P->hmac(s_v2, &sp, 1, s_sbk);
    P->rc4_once(s_sbk, enc_esk, s_esk);
    P->hmac(s_esk, msgs, 3, s_mic);
    if (CRYPTO_memcmp(s_mic, mic, 16) != 0)
        die("MIC");
    derive_keys(P, s_esk, s_rc4);

    for (int i = 0; i < 2; i++) {
        P->rc4_free(c_rc4[i]);
        P->rc4_free(s_rc4[i]);
    }
    OPENSSL_cleanse(cr, sizeof(cr));
    OPENSSL_cleanse(nt, sizeof(nt));
    OPENSSL_cleanse(v2, sizeof(v2));
    OPENSSL_cleanse(sbk, sizeof(sbk));
    OPENSSL_cleanse(s_v2, sizeof(s_v2));
    OPENSSL_cleanse(s_sbk, sizeof(s_sbk));
    OPENSSL_cleanse(s_esk, sizeof(s_esk));
}

void ref_counted_handshakes(const struct prims *P, int n);

/* ref_counted_handshakes - n handshakes; callgrind collects only in here. */
__attribute__((noinline)) void ref_counted_handshakes(const struct prims *P, int n)
{
    for (int i = 0; i < n; i++)
        ref_handshake(P);
}

static void handshake_data_init(void)
{
    for (size_t i = 0; i < sizeof(msg_negotiate); i++)
        msg_negotiate[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof(msg_challenge); i++)
        msg_challenge[i] = (uint8_t)(i * 3);
    for (size_t i = 0; i < sizeof(msg_authenticate); i++)
        msg_authenticate[i] = (uint8_t)(i * 5);
    for (size_t i = 0; i < sizeof(blob); i++)
        blob[i] = (uint8_t)(i * 7);
    for (size_t i = 0; i < sizeof(password16); i++)
        password16[i] = (uint8_t)(i & 1 ? 0 : 'a' + i / 2);
    for (size_t i = 0; i < sizeof(user_domain16); i++)
        user_domain16[i] = (uint8_t)(i & 1 ? 0 : 'A' + i / 2);
}

static int run_handshakes(const struct prims *P, const char *api, double secs)
{
    double warm = secs / 5 < 0.2 ? secs / 5 : 0.2;
    double t0 = now_s(), t;
    do
        ref_handshake(P);
    while (now_s() - t0 < warm);
    uint64_t ops = 0;
    struct timespec cs;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cs);
    double c0 = (double)cs.tv_sec + (double)cs.tv_nsec * 1e-9;
    t0 = now_s();
    do {
        ref_handshake(P);
        ops++;
        t = now_s();
    } while (t - t0 < secs);
    struct timespec cpu;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    printf("impl=openssl-%s mode=handshake threads=1 ops=%llu secs=%.3f rate=%.1f cpu_rate=%.1f\n",
           api, (unsigned long long)ops, t - t0, (double)ops / (t - t0),
           (double)ops / ((double)cpu.tv_sec + (double)cpu.tv_nsec * 1e-9 - c0));
    return 0;
}

/* ---- main ---------------------------------------------------------------- */

static int usage(void)
{
    fprintf(stderr, "usage: bench_ref_crypto sign|seal SIZE[K|M] [-s SECONDS]\n"
                    "       bench_ref_crypto handshake [-s SECONDS] [--api low|evp]\n"
                    "       bench_ref_crypto count N [--api low|evp]\n"
                    "       bench_ref_crypto msgcount sign|seal SIZE[K|M] N\n");
    return 2;
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return 0;
    if (*end == 'K' || *end == 'k')
        v <<= 10, end++;
    else if (*end == 'M' || *end == 'm')
        v <<= 20, end++;
    if (*end || v > (1ull << 30))
        return 0;
    *out = (size_t)v;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *mode = argv[1], *api = "low";
    double secs = 1.0;
    size_t size = 0;
    int i = 2;
    if (!strcmp(mode, "sign") || !strcmp(mode, "seal") || !strcmp(mode, "count")) {
        if (argc < 3 || !parse_size(argv[2], &size))
            return usage();
        i = 3;
    } else if (!strcmp(mode, "msgcount")) {
        size_t n;
        if (argc != 5 || (strcmp(argv[2], "sign") != 0 && strcmp(argv[2], "seal") != 0)
            || !parse_size(argv[3], &size) || !parse_size(argv[4], &n) || n < 1 || n > 100000000)
            return usage();
        struct msg_ref m;
        msg_ref_init(&m, !strcmp(argv[2], "seal"), size);
        for (int w = 0; w < 10; w++)
            roundtrip(&m);
        ref_counted_messages(&m, (int)n);
        printf("impl=openssl mode=msgcount kind=%s size=%zu roundtrips=%zu\n", argv[2], size, n);
        free(m.data);
        return 0;
    } else if (strcmp(mode, "handshake") != 0) {
        return usage();
    }
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "-s") && i + 1 < argc)
            secs = strtod(argv[++i], NULL);
        else if (!strcmp(argv[i], "--api") && i + 1 < argc)
            api = argv[++i];
        else
            return usage();
    }
    if (!(secs > 0 && secs < 3600) || (strcmp(api, "low") != 0 && strcmp(api, "evp") != 0))
        return usage();

    if (!strcmp(mode, "sign") || !strcmp(mode, "seal"))
        return run_messages(!strcmp(mode, "seal"), size, secs);

    const struct prims *P = &prims_low;
    if (!strcmp(api, "evp")) {
        /* MD4 and RC4 live in the legacy provider */
        if (!OSSL_PROVIDER_load(NULL, "legacy") || !OSSL_PROVIDER_load(NULL, "default"))
            die("loading OpenSSL's legacy provider");
        P = &prims_evp;
    }
    handshake_data_init();
    for (int w = 0; w < 3; w++)
        ref_handshake(P);
    if (!strcmp(mode, "handshake"))
        return run_handshakes(P, api, secs);
    if (size < 1 || size > 100000000)
        return usage();
    ref_counted_handshakes(P, (int)size);
    printf("impl=openssl-%s mode=count handshakes=%zu\n", api, size);
    return 0;
}
