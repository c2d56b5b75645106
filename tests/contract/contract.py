#!/usr/bin/env python3
"""tests/contract/contract.py - compare our public headers with MinGW-w64's.

Reads the names our headers define (include/sspi.h, security.h,
sspi_wintypes.h): numeric constants, enumerators, string constants, structs and
unions (with every member), the UNICODE generic names. Writes one C file that
records, for each name, numbers computed by the compiler (values, sizeof,
_Alignof, offsetof, signedness, string contents, which of A/W a generic name
maps to) into an array in its own section. The file is compiled twice per
UNICODE setting: natively against our headers, and with x86_64-w64-mingw32-gcc
against MinGW's Windows SDK headers. The two arrays are extracted with objcopy
and compared number by number.

Exit status 0 only if every number matches. A missing MinGW compiler or objcopy
is a failure, not a skip: the contract is not checked without them.

usage: contract.py --include DIR --work DIR [--cc CC] [--mingw-cc CC]
"""

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys

SECTION = ".ctrct"
MISSING = 0x7FFFFFFFDEADBEEF      # a macro the other side does not define
MAGIC = 0x5443415254434E4F        # first and last element of the array
STRING_CHARS_MAX = 48

# Typedefs that are not struct/enum definitions: checked for size and sign.
SCALAR_TYPES = [
    "CHAR", "UCHAR", "BYTE", "SHORT", "USHORT", "WORD", "WCHAR", "INT", "UINT",
    "LONG", "ULONG", "DWORD", "BOOL", "BOOLEAN", "LONGLONG", "ULONGLONG",
    "ULONG64", "DWORD64", "INT_PTR", "UINT_PTR", "LONG_PTR", "ULONG_PTR",
    "DWORD_PTR", "SIZE_T", "HRESULT", "SECURITY_STATUS", "SEC_WCHAR",
    "SEC_CHAR",
]
OTHER_TYPES = [
    "PVOID", "HANDLE", "LPSTR", "LPWSTR", "TimeStamp", "PTimeStamp",
    "SECURITY_INTEGER", "CredHandle", "CtxtHandle", "PCredHandle",
    "PCtxtHandle", "SecPkgContext_DatagramSizes", "SEC_GET_KEY_FN",
    "PSEC_WINNT_AUTH_IDENTITY_OPAQUE",
]
# Generic names that are typedefs rather than macros: (generic, W, A).
EXTRA_GENERICS = [("SECURITY_PSTR", "SEC_WCHAR *", "SEC_CHAR *"),
                  ("SECURITY_PCSTR", "const SEC_WCHAR *", "const SEC_CHAR *")]
# Identifiers allowed in a numeric macro body besides other numeric macros.
CAST_TYPES = {"SECURITY_STATUS", "HRESULT", "ULONG_PTR", "INT_PTR", "ULONG", "LONG"}
# Object-like macros that are not part of the value contract.
NOT_CONSTANTS = {"SSPI_API", "SEC_ENTRY", "SEC_FAR", "__SEC_FAR", "SEC_TEXT",
                 "WINAPI", "APIENTRY", "VOID", "CONST", "FreeCredentialHandle"}

HEADERS = ["sspi_wintypes.h", "sspi.h", "security.h"]

# Names MinGW's sspi.h/security.h define that we deliberately leave out. Any
# other name of theirs missing from ours is a failure (completeness check).
NOT_PROVIDED = {
    "__SSPI_H__": "header guard",
    "KSECDDDECLSPEC": "kernel-mode import decoration",
    "SECURITY_": "empty macro with no meaning",
    "SEC_SUCCESS": "only defined for WIN32_CHICAGO",
    "CLOUDAP_NAME": "CloudAP package is not provided",
    "CLOUDAP_NAME_W": "CloudAP package is not provided",
    "ClOUDAP_NAME_A": "CloudAP package is not provided",
    "AddSecurityPackage": "function not exported",
    "DeleteSecurityPackage": "function not exported",
    "SaslEnumerateProfiles": "function not exported",
    "SaslGetProfilePackage": "function not exported",
    "SaslIdentifyPackage": "function not exported",
    "SaslInitializeSecurityContext": "function not exported",
    "SspiAcquireCredentialsHandleAsync": "kernel-mode async API",
    "SspiInitializeSecurityContextAsync": "kernel-mode async API",
    "SECURITY_INTEGER": "typedef of LARGE_INTEGER here, checked as a type",
    # credential UI / packed credential types (MinGW: only with _SEC_WINNT_AUTH_TYPES)
    "CREDUIWIN_MARSHALED_CONTEXT": "credential UI type",
    "SEC_WINNT_AUTH_BYTE_VECTOR": "packed credential type",
    "SEC_WINNT_AUTH_CERTIFICATE_DATA": "packed credential type",
    "SEC_WINNT_AUTH_DATA": "packed credential type",
    "SEC_WINNT_AUTH_DATA_PASSWORD": "packed credential type",
    "SEC_WINNT_AUTH_DATA_TYPE_SMARTCARD_CONTEXTS_DATA": "packed credential type",
    "SEC_WINNT_AUTH_FIDO_DATA": "packed credential type",
    "SEC_WINNT_AUTH_NGC_DATA": "packed credential type",
    "SEC_WINNT_AUTH_PACKED_CREDENTIALS": "packed credential type",
    "SEC_WINNT_AUTH_PACKED_CREDENTIALS_EX": "packed credential type",
    "SEC_WINNT_AUTH_SHORT_VECTOR": "packed credential type",
    "SEC_WINNT_CREDUI_CONTEXT": "credential UI type",
    "SEC_WINNT_CREDUI_CONTEXT_VECTOR": "credential UI type",
    "NGC_DATA_FLAG_IS_SMARTCARD_DATA": "packed credential flag",
    "NGC_DATA_FLAG_KERB_CERTIFICATE_LOGON_FLAG_CHECK_DUPLICATES": "packed credential flag",
    "NGC_DATA_FLAG_KERB_CERTIFICATE_LOGON_FLAG_USE_CERTIFICATE_INFO": "packed credential flag",
}


def mingw_names(mingw_include):
    """Macro and typedef names of MinGW's sspi.h and security.h, and its
    winerror.h SEC_E_* / SEC_I_* codes."""
    found = set()
    for h in ("sspi.h", "security.h"):
        text = strip_comments(open(os.path.join(mingw_include, h), encoding="utf-8").read())
        found |= set(re.findall(r"#\s*define\s+(\w+)", text))
        found |= set(re.findall(r"\}\s*(\w+)\s*[,;]", text))
    text = open(os.path.join(mingw_include, "winerror.h"), encoding="utf-8").read()
    found |= {n for n in re.findall(r"#\s*define\s+(\w+)", text)
              if n.startswith(("SEC_E_", "SEC_I_"))}
    return found


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def logical_lines(text):
    return strip_comments(text).replace("\\\n", " ").split("\n")


class Names:
    def __init__(self):
        self.macros = {}          # name -> body (first definition seen)
        self.all_macros = set()   # every macro name, function-like included
        self.generic_w = {}       # name -> value under UNICODE
        self.generic_a = {}       # name -> value without UNICODE
        self.structs = []         # (typedef name, tag, kind, [members])
        self.enums = []           # (typedef name, [enumerators])
        self.functions = []       # (name, return type, parameter types)
        self.fn_types = []        # (typedef name, return type, parameter types)


def scan_macros(path, names):
    """Collects #define lines, and which UNICODE branch each one sits in."""
    stack = []                    # per open conditional: 'W', 'A' or None
    for line in logical_lines(open(path, encoding="utf-8").read()):
        s = line.strip()
        m = re.match(r"#\s*(ifdef|ifndef|if|elif|else|endif|define)\b\s*(.*)", s)
        if not m:
            continue
        kw, rest = m.group(1), m.group(2).strip()
        if kw == "ifdef":
            stack.append("W" if rest == "UNICODE" else None)
        elif kw in ("ifndef", "if"):
            stack.append(None)
        elif kw == "elif":
            stack[-1] = None
        elif kw == "else":
            stack[-1] = "A" if stack[-1] == "W" else None
        elif kw == "endif":
            stack.pop()
        else:
            dm = re.match(r"(\w+)(\(?)\s*(.*)", rest)
            name, funclike, body = dm.group(1), dm.group(2), dm.group(3).strip()
            names.all_macros.add(name)
            if funclike:
                continue
            branch = next((b for b in reversed(stack) if b), None)
            if branch == "W":
                names.generic_w[name] = body
            elif branch == "A":
                names.generic_a[name] = body
            names.macros.setdefault(name, body)


def split_top(body, sep=";"):
    parts, depth, cur = [], 0, ""
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return parts


def members_of(body):
    out = []
    for stmt in split_top(body):
        stmt = " ".join(stmt.split())
        if not stmt:
            continue
        if "{" in stmt:
            inner = stmt[stmt.index("{") + 1:stmt.rindex("}")]
            after = stmt[stmt.rindex("}") + 1:].strip()
            if after:
                out.append((re.match(r"(\w+)", after).group(1), None))
            else:
                out.extend(members_of(inner))   # anonymous: members reachable directly
            continue
        name = re.findall(r"\w+", re.sub(r"\[.*?\]", "", stmt))[-1]
        # the declaration without its name is the member's type, e.g. "WCHAR [64]"
        cut = stmt.rindex(name)
        out.append((name, (stmt[:cut] + stmt[cut + len(name):]).strip()))
    return out


def matching_brace(text, i):
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced braces")


def scan_types(path, names):
    text = strip_comments(open(path, encoding="utf-8").read())
    for m in re.finditer(r"typedef\s+(struct|union|enum)\s+(\w+)\s*\{", text):
        kind, tag = m.group(1), m.group(2)
        close = matching_brace(text, m.end() - 1)
        body = text[m.end():close]
        decl = text[close + 1:text.index(";", close)]
        tname = re.findall(r"\w+", decl)[0]
        if kind == "enum":
            enumerators = [re.match(r"\s*(\w+)", e).group(1)
                           for e in body.split(",") if e.strip()]
            names.enums.append((tname, enumerators))
        else:
            names.structs.append((tname, tag, kind, members_of(body)))


def drop_param_names(params):
    out = []
    for p in split_top(params, ","):
        p = " ".join(p.split())
        m = re.match(r"(.*?[\w*\s])\s*\b(\w+)$", p)
        if m and m.group(1).strip() and m.group(1).strip() not in ("const", "unsigned", "signed"):
            p = m.group(1).strip()
        out.append(p)
    return ", ".join(out)


def scan_functions(path, names):
    """Prototypes (SSPI_API ... Name(...);) and function pointer typedefs."""
    text = " ".join(strip_comments(open(path, encoding="utf-8").read()).split())
    for m in re.finditer(r"SSPI_API ([\w\s*]+?) SEC_ENTRY (\w+)\(([^;]*)\);", text):
        names.functions.append((m.group(2), m.group(1).strip(), drop_param_names(m.group(3))))
    for m in re.finditer(r"typedef ([\w\s*]+?) \(SEC_ENTRY \*(\w+)\)\(([^;]*)\);", text):
        names.fn_types.append((m.group(2), m.group(1).strip(), drop_param_names(m.group(3))))


def classify(names):
    strings, constants = set(), set()
    for name, body in names.macros.items():
        if re.match(r'^\(?\s*(u?"|SEC_TEXT\(|OPENSSPI_WSTR\()', body):
            strings.add(name)
    changed = True
    while changed:
        changed = False
        for name, body in names.macros.items():
            if name in strings or name in constants or name in NOT_CONSTANTS:
                continue
            if not body or name.startswith("OPENSSPI_"):
                continue
            idents = set(re.findall(r"\b[A-Za-z_]\w*\b", re.sub(r"\b0[xX][0-9a-fA-F]+\w*|\b\d\w*", "", body)))
            if idents and idents <= strings:
                strings.add(name)
                changed = True
            elif idents <= (constants | CAST_TYPES) and re.search(r"\w", body):
                constants.add(name)
                changed = True
    generics = []
    for g in sorted(set(names.generic_w) & set(names.generic_a)):
        if g in strings or g in constants:
            continue
        generics.append((g, names.generic_w[g], names.generic_a[g]))
    generics += EXTRA_GENERICS
    return sorted(constants), sorted(strings), generics


def type_expr(name):
    # struct tags (leading underscore) need the keyword; everything else is a type or object
    return "struct " + name if name.startswith("_") else name


def build_entries(names, constants, strings, generics):
    """Returns [(label, C expression[, required value])]. Every expression is an
    integer constant; where a required value is given, both sides must produce it
    (type checks: our declared type, read with each side's own typedefs)."""
    e = []
    for c in constants:
        e.append((c, "CV_MACRO(%s, (long long)(%s))" % (c, c)))
        e.append(("sizeof " + c, "CV_MACRO(%s, (long long)sizeof(%s))" % (c, c)))
        e.append(("signed " + c, "CV_MACRO(%s, (long long)((%s) * 0 - 1 < 0))" % (c, c)))
    for tname, enumerators in names.enums:
        e.append(("sizeof " + tname, "sizeof(%s)" % tname))
        for en in enumerators:
            e.append((en, "(long long)(%s)" % en))
    for s in strings:
        n = "(sizeof(%s) / sizeof((%s)[0]))" % (s, s)
        e.append(("length " + s, "CV_MACRO(%s, (long long)%s)" % (s, n)))
        e.append(("char size " + s, "CV_MACRO(%s, (long long)sizeof((%s)[0]))" % (s, s)))
        for i in range(STRING_CHARS_MAX):
            e.append(("%s[%d]" % (s, i),
                      "CV_MACRO(%s, (long long)(%d < %s - 1 ? (%s)[%d] : 0))" % (s, i, n, s, i)))
    for tname, tag, kind, members in names.structs:
        e.append(("sizeof " + tname, "sizeof(%s)" % tname))
        e.append(("sizeof %s %s" % (kind, tag), "sizeof(%s %s)" % (kind, tag)))
        e.append(("alignof " + tname, "_Alignof(%s)" % tname))
        for mem, mtype in members:
            ref = "((%s *)0)->%s" % (tname, mem)
            e.append(("offsetof %s.%s" % (tname, mem), "offsetof(%s, %s)" % (tname, mem)))
            e.append(("sizeof %s.%s" % (tname, mem), "sizeof(%s)" % ref))
            if mtype:
                # our declared type, read with the other side's typedefs
                e.append(("type %s.%s is %s" % (tname, mem, mtype),
                          "__builtin_types_compatible_p(__typeof__(%s), %s)" % (ref, mtype), 1))
    for fn, ret, params in names.functions:
        e.append(("prototype %s" % fn,
                  "__builtin_types_compatible_p(__typeof__(&%s), %s (*)(%s))" % (fn, ret, params), 1))
    for fn, ret, params in names.fn_types:
        e.append(("function type %s" % fn,
                  "__builtin_types_compatible_p(%s, %s (*)(%s))" % (fn, ret, params), 1))
    for t in SCALAR_TYPES:
        e.append(("sizeof " + t, "sizeof(%s)" % t))
        e.append(("signed " + t, "((%s)-1 < (%s)0)" % (t, t)))
    for t in OTHER_TYPES:
        e.append(("sizeof " + t, "sizeof(%s)" % t))
    for g, w, a in generics:
        # 1: the generic name is the W one, 2: the A one (3: both have one type)
        e.append(("generic " + g,
                  "(__builtin_types_compatible_p(__typeof__(%s), __typeof__(%s))"
                  " + 2 * __builtin_types_compatible_p(__typeof__(%s), __typeof__(%s)))"
                  % (type_expr(g), type_expr(w), type_expr(g), type_expr(a))))
    return e


PROLOGUE = """/* generated by tests/contract/contract.py - do not edit */
#define SECURITY_WIN32
#ifdef CONTRACT_MINGW
#include <windows.h>
#include <security.h>
#else
#include <security.h>
#endif
#include <stddef.h>

/* A macro missing on one side records a marker instead of failing the build. */
#define CV_MACRO(name, expr) CV_DEFINED_##name(expr)
"""


def write_c(path, entries, constants, strings):
    with open(path, "w", encoding="utf-8") as f:
        f.write(PROLOGUE)
        for c in constants + strings:
            f.write("#ifdef %s\n#define CV_DEFINED_%s(x) (x)\n#else\n"
                    "#define CV_DEFINED_%s(x) (0x%XLL)\n#endif\n" % (c, c, c, MISSING))
        f.write('\n__attribute__((used, section("%s")))\n' % SECTION)
        f.write("const long long contract_values[] = {\n    0x%XLL,\n" % MAGIC)
        for ent in entries:
            f.write("    (long long)(%s), /* %s */\n" % (ent[1], ent[0]))
        f.write("    0x%XLL\n};\n" % MAGIC)


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.stderr.write("contract: command failed: %s\n%s\n" % (" ".join(cmd), r.stdout))
        sys.exit(1)


def values(cc, objcopy, cflags, src, obj, count):
    run([cc] + cflags + ["-c", src, "-o", obj])
    binf = obj + ".bin"
    run([objcopy, "-O", "binary", "--only-section=" + SECTION, obj, binf])
    data = open(binf, "rb").read()
    n = count + 2
    # the object format may pad the section; the array itself is framed by MAGIC
    if len(data) < 8 * n or any(data[8 * n:]):
        sys.stderr.write("contract: %s: section %s has %d bytes, expected %d\n"
                         % (obj, SECTION, len(data), 8 * n))
        sys.exit(1)
    v = list(struct.unpack("<%dq" % n, data[:8 * n]))
    if v[0] != MAGIC or v[-1] != MAGIC:
        sys.stderr.write("contract: %s: section %s is not the values array\n" % (obj, SECTION))
        sys.exit(1)
    return v[1:-1]


def need(tool):
    path = shutil.which(tool)
    if not path:
        sys.stderr.write("contract: FAIL: %s not found (install gcc-mingw-w64-x86-64 / binutils)\n"
                         % tool)
        sys.exit(1)
    return path


def show(v):
    return "(not defined)" if v == MISSING else str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--objcopy", default="objcopy")
    ap.add_argument("--mingw-cc", default="x86_64-w64-mingw32-gcc")
    ap.add_argument("--mingw-objcopy", default="x86_64-w64-mingw32-objcopy")
    ap.add_argument("--mingw-include", default="/usr/share/mingw-w64/include")
    args = ap.parse_args()

    cc, objcopy = need(args.cc), need(args.objcopy)
    mcc, mobjcopy = need(args.mingw_cc), need(args.mingw_objcopy)

    names = Names()
    for h in HEADERS:
        p = os.path.join(args.include, h)
        scan_macros(p, names)
        scan_types(p, names)
        scan_functions(p, names)
    constants, strings, generics = classify(names)
    entries = build_entries(names, constants, strings, generics)

    os.makedirs(args.work, exist_ok=True)
    src = os.path.join(args.work, "contract_values.c")
    write_c(src, entries, constants, strings)

    ours_flags = ["-std=c11", "-w", "-I", os.path.abspath(args.include)]
    # Windows 10 SDK level: the function tables carry the Ex members.
    mingw_flags = ["-std=c11", "-w", "-DCONTRACT_MINGW", "-D_WIN32_WINNT=0x0A00",
                   "-DNTDDI_VERSION=0x0A000000"]
    bad = 0
    for mode, extra in (("ANSI", []), ("UNICODE", ["-DUNICODE", "-D_UNICODE"])):
        o = values(cc, objcopy, ours_flags + extra, src,
                   os.path.join(args.work, "ours_%s.o" % mode), len(entries))
        t = values(mcc, mobjcopy, mingw_flags + extra, src,
                   os.path.join(args.work, "mingw_%s.o" % mode), len(entries))
        for ent, a, b in zip(entries, o, t):
            label = ent[0]
            if len(ent) > 2 and (a != ent[2] or b != ent[2]):
                bad += 1
                print("MISMATCH [%s] %s: ours=%s mingw=%s (both must be %d)"
                      % (mode, label, show(a), show(b), ent[2]))
            elif a != b:
                bad += 1
                print("MISMATCH [%s] %s: ours=%s mingw=%s" % (mode, label, show(a), show(b)))

    ours = names.all_macros | {st[0] for st in names.structs} | {en[0] for en in names.enums}
    theirs = mingw_names(args.mingw_include)
    for name in sorted(theirs - ours - set(NOT_PROVIDED)):
        bad += 1
        print("MISSING %s: defined by MinGW, not by our headers" % name)

    nstruct_members = sum(len(s[3]) for s in names.structs)
    nenum = sum(len(e[1]) for e in names.enums)
    print("contract: %d constants, %d enumerators, %d strings, %d structs/unions "
          "(%d members), %d enums, %d typedefs, %d prototypes, %d function pointer types, "
          "%d generic names; %d checks x 2 modes (ANSI, UNICODE); %d MinGW names checked "
          "for presence; %d mismatches"
          % (len(constants), nenum, len(strings), len(names.structs), nstruct_members,
             len(names.enums), len(SCALAR_TYPES) + len(OTHER_TYPES), len(names.functions),
             len(names.fn_types), len(generics), len(entries), len(theirs), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
