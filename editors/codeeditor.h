// CodeEditor: the shared text editor: line numbers, current line, highlighting by file type,
// find/replace, go to line, space indentation, and diagnostics underlined where they point.
#pragma once

#include "base/diagnostic.h"
#include "editortheme.h"
#include "highlighters/codehighlighter.h"
#include "textsearch.h"

#include <QPlainTextEdit>
#include <QPointer>

class QCompleter;

namespace Gatehouse {

class FindBar;
class GoToLineBar;

// Where a diagnostic is drawn on one line: a 0-based start and a length in characters, from the
// diagnostic's column to the end of the token there (a key, a quoted string, a word). Column 0
// (unknown) covers the line's text without its indentation.
struct TextSpan
{
    int start = 0;
    int length = 0;
    friend bool operator==(const TextSpan &, const TextSpan &) = default;
};
TextSpan diagnosticSpan(QStringView lineText, int column);

class CodeEditor : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit CodeEditor(QWidget *parent = nullptr);

    // The file shown (absolute) and the project it belongs to, which diagnostics name files
    // relative to. Picks the highlighter and the indentation by the file's suffix.
    void setFilePath(const QString &absolutePath, const QString &projectDir = {});
    QString filePath() const { return m_filePath; }
    QString projectDir() const { return m_projectDir; }
    QString relativeFilePath() const;   // as diagnostics name it: "apis/petstore.yaml"

    Language language() const { return m_language; }
    CodeHighlighter *highlighter() const { return m_highlighter; }
    const EditorTheme &theme() const { return m_theme; }

    int indentWidth() const;   // spaces per level: 2 in YAML, 4 elsewhere, unless set
    void setIndentWidth(int spaces);      // 0 = by language, as above
    void setFontPointSize(int points);    // 0 = the system's fixed-width font as it comes
    void indentSelection();    // every line the selection touches, or the current one
    void unindentSelection();

    // Shows the diagnostics about this editor's file (the others are ignored) as wavy underlines
    // with a gutter marker and a tooltip; replaces those shown before. The underlines then move
    // with the text as the user edits it.
    void setDiagnostics(const QList<Diagnostic> &diagnostics);
    struct Marker
    {
        Severity severity = Severity::Error;
        QString message;
        QTextCursor range;
    };
    const QList<Marker> &markers() const { return m_markers; }
    QString diagnosticToolTip(int position) const;   // the messages underlined at a position
    QString lineToolTip(int blockNumber) const;      // the messages of a line (gutter tooltip)

    int lineNumberAreaWidth() const;
    void goToLine(int line, int column = 1);   // 1-based

    FindBar *findBar() const { return m_findBar; }
    GoToLineBar *goToLineBar() const { return m_goToLineBar; }
    void showFind(bool replace);
    void showGoToLine();
    // Matches the find bar highlights everywhere in the text (empty to clear).
    void setFindMatches(const QList<TextMatch> &matches);
    // Re-lays out the bars below the text after one was shown or hidden.
    void updatePanels();
    // A completer whose popup, while shown, owns Enter, Tab and Esc (not owned; may be null).
    void setCompleter(QCompleter *completer);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    friend class LineNumberArea;
    void paintLineNumbers(QPaintEvent *event);
    void updateLineNumberAreaWidth();
    void updateLineNumberArea(const QRect &rect, int dy);
    void updateExtraSelections();
    void applyTheme();
    bool matchesFile(const QString &diagnosticFile) const;
    int blockNumberAt(int y) const;
    void insertNewline();
    bool backspaceIndent();

    QWidget *m_lineNumberArea;
    FindBar *m_findBar;
    GoToLineBar *m_goToLineBar;
    QList<QAction *> m_actions;   // find, replace, next, previous, go to line (context menu)
    EditorTheme m_theme;
    QString m_filePath;
    QString m_projectDir;
    Language m_language = Language::PlainText;
    int m_indentWidth = 0;   // 0 = by language
    CodeHighlighter *m_highlighter = nullptr;
    QList<Marker> m_markers;
    QList<QTextEdit::ExtraSelection> m_findSelections;
    QPointer<QCompleter> m_completer;
};

} // namespace Gatehouse
