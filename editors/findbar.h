// FindBar: the editor's inline find/replace bar (Ctrl+F, Ctrl+H, F3, Shift+F3).
#pragma once

#include "textsearch.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;
class QToolButton;

namespace Gatehouse {

class CodeEditor;

// Lives inside its CodeEditor, below the text. While shown it highlights every match in the editor
// and keeps an "N of M" count that follows both the query and edits to the text.
class FindBar : public QWidget
{
    Q_OBJECT
public:
    explicit FindBar(CodeEditor *editor);

    // Shows the bar (with the replace row when `replace`), seeded with the selected text when the
    // selection is on one line, and focuses the query.
    void activate(bool replace);
    void close();

    void setFindText(const QString &text);
    QString findText() const;
    void setReplaceText(const QString &text);
    void setOptions(const FindOptions &options);
    FindOptions options() const;
    bool isReplaceShown() const;

    // Select the next/previous match, wrapping at the end/start of the document; false without one.
    bool findNext();
    bool findPrevious();
    // Replaces the selected match (or finds one first) and moves to the next.
    bool replaceCurrent();
    // Replaces every match as one undo step; returns how many were replaced.
    int replaceAll();

    int matchCount() const;
    int currentMatch() const;   // 1-based index of the selected match, 0 when none is selected
    bool wrapped() const { return m_wrapped; }
    QString statusText() const;

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void ensureMatches() const;
    void invalidate();
    void updateStatus();
    void selectMatch(qsizetype index);
    void searchIncrementally();

    CodeEditor *m_editor;
    QLineEdit *m_find;
    QLineEdit *m_replace;
    QToolButton *m_case;
    QToolButton *m_word;
    QToolButton *m_regex;
    QLabel *m_status;
    QWidget *m_replaceRow;
    QTimer *m_refresh;   // recounts shortly after the text changes, not on every keystroke
    mutable QList<TextMatch> m_matches;
    mutable bool m_dirty = true;
    mutable QString m_error;   // the regex error, when the pattern is invalid
    bool m_wrapped = false;
    QString m_replacedMessage;
};

} // namespace Gatehouse
