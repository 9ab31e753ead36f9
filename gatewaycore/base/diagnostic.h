// Diagnostics for users: every problem found in a project as "file:line:col: severity: sentence".
#pragma once

#include <QList>
#include <QString>

namespace Gatehouse {

// A place in a source file. Lines and columns are 1-based; 0 means "unknown" and is not printed.
// `file` is relative to the project directory when the file lies inside it, otherwise absolute.
struct SourceLocation
{
    QString file;
    int line = 0;
    int column = 0;

    bool isValid() const { return !file.isEmpty(); }
    QString toString() const;   // "apis/petstore.yaml:14:7", "gatehouse.yaml:3", "apis/x.yaml"
    friend bool operator==(const SourceLocation &, const SourceLocation &) = default;
};

enum class Severity { Error = 1, Warning, Note };

struct Diagnostic
{
    Severity severity = Severity::Error;
    SourceLocation location;
    QString message;   // one sentence a newcomer understands; no trailing period needed

    QString toString() const;   // "apis/petstore.yaml:14:7: error: unknown throttling tier 'Goldd'"
};

QString severityName(Severity severity);   // "error", "warning", "note"

// An ordered collection of diagnostics. Not thread-safe; one per load/compile run.
class Diagnostics
{
public:
    void add(Diagnostic diagnostic);
    void error(const SourceLocation &where, const QString &message);
    void warning(const SourceLocation &where, const QString &message);
    void note(const SourceLocation &where, const QString &message);
    void append(const Diagnostics &other);

    const QList<Diagnostic> &items() const { return m_items; }
    bool isEmpty() const { return m_items.isEmpty(); }
    bool hasErrors() const { return m_errorCount > 0; }
    int errorCount() const { return m_errorCount; }
    int warningCount() const { return m_warningCount; }

    // Stable order for printing: by file, line, column, then insertion order.
    void sort();
    QString toString() const;   // one diagnostic per line

private:
    QList<Diagnostic> m_items;
    int m_errorCount = 0;
    int m_warningCount = 0;
};

} // namespace Gatehouse
