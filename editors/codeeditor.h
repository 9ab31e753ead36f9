// CodeEditor: a plain-text editor with a line-number gutter and current-line highlight.
#pragma once

#include <QPlainTextEdit>

namespace Gatehouse {

class CodeEditor : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit CodeEditor(QWidget *parent = nullptr);

    int lineNumberAreaWidth() const;
    void goToLine(int line, int column = 1);   // 1-based

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    friend class LineNumberArea;
    void paintLineNumbers(QPaintEvent *event);
    void updateLineNumberAreaWidth();
    void updateLineNumberArea(const QRect &rect, int dy);
    void highlightCurrentLine();

    QWidget *m_lineNumberArea;
};

} // namespace Gatehouse
