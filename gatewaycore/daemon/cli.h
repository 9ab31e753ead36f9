// The gatehoused command line: a table of subcommands, each with its own usage and handler.
#pragma once

#include <QStringList>
#include <QTextStream>

#include <functional>

namespace Gatehouse::Cli {

// Exit codes shared by every subcommand (documented in --help).
constexpr int kExitOk = 0;
constexpr int kExitErrors = 1;   // the project or the request has errors
constexpr int kExitUsage = 2;    // bad command line

struct Context
{
    QStringList args;   // arguments after the subcommand name
    QTextStream &out;
    QTextStream &err;
};

struct Command
{
    QString name;
    QString synopsis;   // "check DIR"
    QString summary;    // one line for the command list
    QString help;       // full help text (options)
    std::function<int(Context &)> run;   // empty = announced but not available in this build
};

const QList<Command> &commands();
int dispatch(const QStringList &arguments, QTextStream &out, QTextStream &err);

// Subcommand handlers (one file each as they grow).
int runCheck(Context &ctx);   // check.cpp
int runServe(Context &ctx);   // serve.cpp
int runKey(Context &ctx);     // key.cpp
int runExport(Context &ctx);  // export.cpp
int runPolicy(Context &ctx);  // policy.cpp
int runUser(Context &ctx);    // user.cpp
int runImportWso2(Context &ctx);   // import.cpp

} // namespace Gatehouse::Cli
