// What libprotoc sees when Gatehouse parses .proto files: project files held in memory, the built-in
// option files, the well-known types; and protoc's error positions turned into diagnostics.
#pragma once

#include "base/diagnostic.h"

#include <QByteArray>
#include <QSet>
#include <QString>

#include <google/protobuf/compiler/importer.h>

#include <map>
#include <optional>
#include <set>
#include <string>

namespace Gatehouse {

// Resolves an import path in this order: (1) the option files Gatehouse compiles in
// (gatehouse/options.proto, wso2_options.proto, google/api/{annotations,http}.proto), read from
// $GATEHOUSE_RESOURCES_DIR/proto when that variable is set (to try edits without a rebuild);
// (2) google/protobuf/*.proto from /usr/include, else rebuilt from the descriptors compiled into
// libprotobuf, so an installed gatehoused works without libprotobuf-dev; (3) the project's files.
// Built-in paths win over project copies because the loader reads those options by name.
// Owns every buffer it hands out; streams stay valid as long as the tree.
class ProtoSourceTree final : public google::protobuf::compiler::SourceTree
{
public:
    // `virtualPath` is relative to the import root ("shop/v1/shop.proto").
    void addProjectFile(const std::string &virtualPath, const QByteArray &contents);
    // A project file that was refused before parsing: imports of it fail without a second message.
    void addRefusedFile(const std::string &virtualPath) { m_refused.insert(virtualPath); }
    bool isRefused(const std::string &virtualPath) const { return m_refused.count(virtualPath) > 0; }
    bool isProjectFile(const std::string &virtualPath) const;
    static bool isBuiltinPath(const std::string &virtualPath);

    google::protobuf::io::ZeroCopyInputStream *Open(const std::string &filename) override;
    std::string GetLastErrorMessage() override;

    // The text of a file opened or added so far, or nullptr.
    const std::string *contents(const std::string &virtualPath) const;
    // True when an import of this path found nothing.
    bool wasMissing(const std::string &virtualPath) const { return m_missing.count(virtualPath) > 0; }

private:
    const std::string *loadBuiltin(const std::string &virtualPath);

    std::map<std::string, std::string> m_project;
    std::map<std::string, std::string> m_builtin;   // loaded on first use
    std::set<std::string> m_missing;
    std::set<std::string> m_refused;
    std::string m_lastError;
};

// libprotoc recurses once per nesting level of messages and of option values ({ [ <), without a
// limit in protobuf 3.21, and resolves dotted names in quadratic time; a hostile or broken file can
// so overflow the stack or stall the load. Files are checked against these bounds, far above what
// real .proto files use, before protoc sees them.
constexpr int kMaxProtoNestingDepth = 100;
constexpr int kMaxProtoNameComponents = 100;
struct ProtoLimitViolation
{
    int line = 0;     // 0-based, as protoc's
    int column = 0;
    QString message;
};
std::optional<ProtoLimitViolation> checkProtoLimits(const std::string &text);

// protoc reports 0-based lines and columns where a tab advances to the next multiple of 8 and every
// byte counts; diagnostics want 1-based character columns. Returns the 1-based column.
int protocColumnToCharacterColumn(const std::string &text, int line, int column);

// Collects protoc's errors and warnings as diagnostics "protos/x.proto:LINE:COL: error: ...",
// once each (a file imported by several others is reported at most once per message).
class ProtoErrorCollector final : public google::protobuf::compiler::MultiFileErrorCollector
{
public:
    // `displayPrefix` is put before project file paths ("protos/").
    ProtoErrorCollector(const ProtoSourceTree &tree, QString displayPrefix, Diagnostics &diagnostics);

    void AddError(const std::string &filename, int line, int column,
                  const std::string &message) override;
    void AddWarning(const std::string &filename, int line, int column,
                    const std::string &message) override;

    // The path a diagnostic shows for a file protoc names `virtualPath`.
    QString displayPath(const std::string &virtualPath) const;
    // Diagnostic location of a 0-based protoc position (line < 0: the whole file).
    SourceLocation location(const std::string &virtualPath, int line, int column) const;

    int errorCountFor(const std::string &virtualPath) const;

    // libprotobuf reports a few problems only through its log (GOOGLE_LOG), e.g. a missing syntax
    // statement. While an instance lives, such messages logged on this thread become diagnostics
    // of this collector instead of lines on stderr; other threads' messages pass through.
    class LogCapture
    {
    public:
        explicit LogCapture(ProtoErrorCollector &collector);
        ~LogCapture();
        LogCapture(const LogCapture &) = delete;
        LogCapture &operator=(const LogCapture &) = delete;

    private:
        ProtoErrorCollector *m_previous;
    };
    void addLogMessage(const std::string &message);

private:
    void add(Severity severity, const std::string &filename, int line, int column,
             const std::string &message);

    const ProtoSourceTree &m_tree;
    QString m_displayPrefix;
    Diagnostics &m_diagnostics;
    QSet<QString> m_seen;
    std::map<std::string, int> m_errorCounts;
};

} // namespace Gatehouse
