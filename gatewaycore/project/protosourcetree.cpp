// What libprotoc sees when Gatehouse parses .proto files, and protoc's errors as diagnostics.
#include "protosourcetree.h"

#include <QFile>
#include <QRegularExpression>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>

#include <mutex>

namespace Gatehouse {

namespace {

// Import paths Gatehouse answers itself, and where its Qt resource keeps them.
constexpr const char *kBuiltinFiles[] = {
    "gatehouse/options.proto",
    "wso2_options.proto",
    "google/api/annotations.proto",
    "google/api/http.proto",
};

bool isWellKnownPath(const std::string &path)
{
    return path.rfind("google/protobuf/", 0) == 0;
}

// No .proto of ours comes close; the cap keeps a mistaken multi-GB file from exhausting memory and
// keeps sizes within protobuf's int-sized buffers.
constexpr qint64 kMaxBuiltinBytes = 4 * 1024 * 1024;

std::optional<std::string> readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxBuiltinBytes)
        return std::nullopt;
    const QByteArray data = file.readAll();
    return std::string(data.constData(), size_t(data.size()));
}

QString pathString(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

thread_local ProtoErrorCollector *t_capturingCollector = nullptr;
google::protobuf::LogHandler *g_previousLogHandler = nullptr;

void captureLog(google::protobuf::LogLevel level, const char *filename, int line,
                const std::string &message)
{
    if (t_capturingCollector && level < google::protobuf::LOGLEVEL_FATAL) {
        t_capturingCollector->addLogMessage(message);
        return;
    }
    if (g_previousLogHandler)
        g_previousLogHandler(level, filename, line, message);
}

} // namespace

ProtoErrorCollector::LogCapture::LogCapture(ProtoErrorCollector &collector)
    : m_previous(t_capturingCollector)
{
    // Installed once and kept: swapping handlers per load would race between threads.
    static std::once_flag installed;
    std::call_once(installed, [] { g_previousLogHandler = google::protobuf::SetLogHandler(&captureLog); });
    t_capturingCollector = &collector;
}

ProtoErrorCollector::LogCapture::~LogCapture()
{
    t_capturingCollector = m_previous;
}

void ProtoErrorCollector::addLogMessage(const std::string &message)
{
    static const QRegularExpression noSyntax(
        QStringLiteral("^No syntax specified for the proto file: (.+)\\. Please use"));
    const QString text = pathString(message);
    if (const auto match = noSyntax.match(text); match.hasMatch()) {
        const std::string file = match.captured(1).toStdString();
        m_diagnostics.warning(location(file, -1, 0),
                              QStringLiteral("no syntax statement, so protoc reads the file as "
                                             "proto2; start it with syntax = \"proto3\"; (or "
                                             "\"proto2\") to say which is meant"));
        return;
    }
    m_diagnostics.warning({}, QStringLiteral("libprotobuf: %1").arg(text.trimmed()));
}

void ProtoSourceTree::addProjectFile(const std::string &virtualPath, const QByteArray &contents)
{
    m_project[virtualPath] = std::string(contents.constData(), size_t(contents.size()));
}

bool ProtoSourceTree::isProjectFile(const std::string &virtualPath) const
{
    return m_project.count(virtualPath) > 0 && !isBuiltinPath(virtualPath);
}

bool ProtoSourceTree::isBuiltinPath(const std::string &virtualPath)
{
    if (isWellKnownPath(virtualPath))
        return true;
    for (const char *builtin : kBuiltinFiles) {
        if (virtualPath == builtin)
            return true;
    }
    return false;
}

const std::string *ProtoSourceTree::loadBuiltin(const std::string &virtualPath)
{
    if (auto it = m_builtin.find(virtualPath); it != m_builtin.end())
        return &it->second;

    std::optional<std::string> text;
    const QString name = pathString(virtualPath);
    if (isWellKnownPath(virtualPath)) {
        text = readFile(QStringLiteral("/usr/include/") + name);
        if (!text) {
            // libprotobuf carries these files' descriptors; their printed form parses back the same.
            using google::protobuf::DescriptorPool;
            if (const auto *file = DescriptorPool::generated_pool()->FindFileByName(virtualPath))
                text = file->DebugString();
        }
    } else {
        const QString overrideDir = qEnvironmentVariable("GATEHOUSE_RESOURCES_DIR");
        if (!overrideDir.isEmpty())
            text = readFile(overrideDir + QStringLiteral("/proto/") + name);
        if (!text)
            text = readFile(QStringLiteral(":/gatehouse/proto/") + name);
    }
    if (!text)
        return nullptr;
    return &m_builtin.emplace(virtualPath, std::move(*text)).first->second;
}

google::protobuf::io::ZeroCopyInputStream *ProtoSourceTree::Open(const std::string &filename)
{
    const std::string *text = nullptr;
    if (isRefused(filename)) {
        m_lastError = "File was refused.";
        return nullptr;
    }
    if (isBuiltinPath(filename)) {
        text = loadBuiltin(filename);
    } else if (auto it = m_project.find(filename); it != m_project.end()) {
        text = &it->second;
    }
    if (!text) {
        m_missing.insert(filename);
        m_lastError = "File not found.";
        return nullptr;
    }
    return new google::protobuf::io::ArrayInputStream(text->data(), int(text->size()));
}

std::string ProtoSourceTree::GetLastErrorMessage()
{
    return m_lastError;
}

const std::string *ProtoSourceTree::contents(const std::string &virtualPath) const
{
    if (auto it = m_builtin.find(virtualPath); it != m_builtin.end())
        return &it->second;
    if (auto it = m_project.find(virtualPath); it != m_project.end())
        return &it->second;
    return nullptr;
}

std::optional<ProtoLimitViolation> checkProtoLimits(const std::string &text)
{
    namespace io = google::protobuf::io;
    // Syntax errors are protoc's to report, with better words; this pass only counts.
    class Quiet final : public io::ErrorCollector
    {
    public:
        void AddError(int, io::ColumnNumber, const std::string &) override {}
    } quiet;
    io::ArrayInputStream input(text.data(), int(text.size()));
    io::Tokenizer tokenizer(&input, &quiet);

    int depth = 0;
    int nameComponents = 0;
    bool afterDot = false;
    while (tokenizer.Next()) {
        const io::Tokenizer::Token &token = tokenizer.current();
        if (token.type == io::Tokenizer::TYPE_IDENTIFIER) {
            nameComponents = afterDot ? nameComponents + 1 : 1;
            afterDot = false;
            if (nameComponents > kMaxProtoNameComponents) {
                return ProtoLimitViolation{token.line, token.column,
                                           QStringLiteral("a dotted name with more than %1 parts "
                                                          "is not supported")
                                               .arg(kMaxProtoNameComponents)};
            }
            continue;
        }
        afterDot = token.text == ".";
        if (!afterDot)
            nameComponents = 0;
        if (token.text == "{" || token.text == "[" || token.text == "<") {
            if (++depth > kMaxProtoNestingDepth) {
                return ProtoLimitViolation{token.line, token.column,
                                           QStringLiteral("nesting deeper than %1 levels of { [ < "
                                                          "is not supported")
                                               .arg(kMaxProtoNestingDepth)};
            }
        } else if (token.text == "}" || token.text == "]" || token.text == ">") {
            depth = qMax(0, depth - 1);
        }
    }
    return std::nullopt;
}

int protocColumnToCharacterColumn(const std::string &text, int line, int column)
{
    constexpr int kTabWidth = 8;   // protoc's tokenizer
    size_t pos = 0;
    for (int l = 0; l < line; ++l) {
        pos = text.find('\n', pos);
        if (pos == std::string::npos)
            return column + 1;
        ++pos;
    }
    int visual = 0;
    int characters = 0;
    while (visual < column && pos < text.size() && text[pos] != '\n') {
        const auto byte = static_cast<unsigned char>(text[pos++]);
        visual = byte == '\t' ? visual + kTabWidth - visual % kTabWidth : visual + 1;
        if ((byte & 0xC0) != 0x80)   // UTF-8 continuation bytes belong to the previous character
            ++characters;
    }
    // A position past the end of the line (e.g. "reached end of input") keeps protoc's distance.
    return characters + 1 + qMax(0, column - visual);
}

ProtoErrorCollector::ProtoErrorCollector(const ProtoSourceTree &tree, QString displayPrefix,
                                         Diagnostics &diagnostics)
    : m_tree(tree), m_displayPrefix(std::move(displayPrefix)), m_diagnostics(diagnostics)
{}

void ProtoErrorCollector::AddError(const std::string &filename, int line, int column,
                                   const std::string &message)
{
    add(Severity::Error, filename, line, column, message);
}

void ProtoErrorCollector::AddWarning(const std::string &filename, int line, int column,
                                     const std::string &message)
{
    add(Severity::Warning, filename, line, column, message);
}

QString ProtoErrorCollector::displayPath(const std::string &virtualPath) const
{
    if (m_tree.isProjectFile(virtualPath))
        return m_displayPrefix + pathString(virtualPath);
    return pathString(virtualPath);
}

SourceLocation ProtoErrorCollector::location(const std::string &virtualPath, int line,
                                             int column) const
{
    const QString file = displayPath(virtualPath);
    if (line < 0)
        return {file, 0, 0};
    const std::string *text = m_tree.contents(virtualPath);
    const int characterColumn =
        text ? protocColumnToCharacterColumn(*text, line, qMax(0, column)) : qMax(0, column) + 1;
    return {file, line + 1, characterColumn};
}

int ProtoErrorCollector::errorCountFor(const std::string &virtualPath) const
{
    auto it = m_errorCounts.find(virtualPath);
    return it == m_errorCounts.end() ? 0 : it->second;
}

void ProtoErrorCollector::add(Severity severity, const std::string &filename, int line, int column,
                              const std::string &message)
{
    // A missing import is reported where it is imported; "file not found" on its own says less.
    if (line < 0 && ((m_tree.wasMissing(filename) && !m_tree.isProjectFile(filename))
                     || m_tree.isRefused(filename)))
        return;

    QString text = pathString(message);
    if (text.endsWith(u'.'))
        text.chop(1);
    static const QRegularExpression importFailed(
        QStringLiteral("^Import \"(.+)\" was not found or had errors$"));
    if (const auto match = importFailed.match(text); match.hasMatch()) {
        const QString imported = match.captured(1);
        if (m_tree.wasMissing(imported.toStdString())) {
            text = QStringLiteral("cannot find imported file \"%1\" (imports are relative to %2; "
                                  "built in are gatehouse/options.proto, wso2_options.proto, "
                                  "google/api/annotations.proto and google/protobuf/*.proto)")
                       .arg(imported, m_displayPrefix.isEmpty() ? QStringLiteral("the proto root")
                                                                : m_displayPrefix);
        } else {
            text = QStringLiteral("imported file \"%1\" has errors (reported for that file)")
                       .arg(imported);
        }
    }

    const SourceLocation where = location(filename, line, column);
    const QString key = where.toString() + u'\x1f' + severityName(severity) + u'\x1f' + text;
    if (m_seen.contains(key))
        return;
    m_seen.insert(key);
    if (severity == Severity::Error)
        ++m_errorCounts[filename];
    m_diagnostics.add({severity, where, text});
}

} // namespace Gatehouse
