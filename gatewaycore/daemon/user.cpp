// gatehoused user hash: a salted PBKDF2 hash of a password for a Basic-auth user in gatehouse.yaml.
#include "cli.h"

#include "security/passwordhash.h"

#include <QFile>

#include <termios.h>
#include <unistd.h>

namespace Gatehouse::Cli {

namespace {

// One line from standard input without its line end; echo off while a terminal types it.
QByteArray readPassword(QTextStream &err, bool &ok)
{
    const bool terminal = isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (terminal) {
        err << "Password: ";
        err.flush();
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= tcflag_t(~ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    QFile in;
    ok = in.open(stdin, QIODevice::ReadOnly);
    QByteArray line = ok ? in.readLine(64 * 1024) : QByteArray();
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        err << '\n';
    }
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

} // namespace

int runUser(Context &ctx)
{
    const QStringList &a = ctx.args;
    if (a.value(0) != u"hash") {
        ctx.err << "gatehoused user: expected 'hash'\nUsage: gatehoused user hash [--iterations N | --scrypt [--cost LN]] < password\n";
        return kExitUsage;
    }
    int iterations = kDefaultPbkdf2Iterations;
    int scryptLogN = kDefaultScryptLogN;
    bool scrypt = false, iterationsGiven = false, costGiven = false;
    for (qsizetype i = 1; i < a.size(); ++i) {
        if (a.at(i) == u"--iterations" && i + 1 < a.size()) {
            bool ok = false;
            iterations = a.at(++i).toInt(&ok);
            iterationsGiven = true;
            if (!ok || iterations < kMinPbkdf2Iterations || iterations > kMaxPbkdf2Iterations) {
                ctx.err << "gatehoused user hash: --iterations must be between " << kMinPbkdf2Iterations
                        << " and " << kMaxPbkdf2Iterations << '\n';
                return kExitUsage;
            }
        } else if (a.at(i) == u"--scrypt") {
            scrypt = true;
        } else if (a.at(i) == u"--cost" && i + 1 < a.size()) {
            bool ok = false;
            scryptLogN = a.at(++i).toInt(&ok);
            costGiven = true;
            // 128 * r * 2^LN bytes with r = 8: 2^18 is the largest within the memory bound.
            if (!ok || scryptLogN < kMinScryptLogN || scryptLogN > 18) {
                ctx.err << "gatehoused user hash: --cost must be between " << kMinScryptLogN << " and 18 (N = 2^cost)\n";
                return kExitUsage;
            }
        } else {
            ctx.err << "gatehoused user hash: unexpected '" << a.at(i) << "'\n";
            return kExitUsage;
        }
    }
    if ((scrypt && iterationsGiven) || (!scrypt && costGiven)) {
        ctx.err << "gatehoused user hash: --iterations is for PBKDF2, --cost for --scrypt\n";
        return kExitUsage;
    }
    bool ok = false;
    const QByteArray password = readPassword(ctx.err, ok);
    if (!ok || password.isEmpty()) {
        ctx.err << "gatehoused user hash: no password on standard input\n";
        return kExitErrors;
    }
    if (scrypt) {
        if (scryptLogN < kRecommendedScryptLogN)
            ctx.err << "gatehoused user hash: warning: N below 2^" << kRecommendedScryptLogN
                    << " makes the hash cheap to attack\n";
        ctx.out << hashPasswordScrypt(password, scryptLogN) << '\n';
        return kExitOk;
    }
    if (iterations < kRecommendedPbkdf2Iterations)
        ctx.err << "gatehoused user hash: warning: fewer than " << kRecommendedPbkdf2Iterations
                << " iterations make the hash cheap to attack\n";
    ctx.out << hashPassword(password, iterations) << '\n';
    return kExitOk;
}

} // namespace Gatehouse::Cli
