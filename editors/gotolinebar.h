// GoToLineBar: the editor's inline "go to line[:column]" field (Ctrl+L).
#pragma once

#include <QStringView>
#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;

namespace Gatehouse {

class CodeEditor;

struct LineColumn
{
    int line = 0;     // 1-based
    int column = 0;   // 1-based; 0 when not given
    friend bool operator==(const LineColumn &, const LineColumn &) = default;
};

// "12", "12:7", " 12 : 7 " and "12:" are accepted; anything else (0, negatives, words) is not.
std::optional<LineColumn> parseLineColumn(QStringView text);

class GoToLineBar : public QWidget
{
    Q_OBJECT
public:
    explicit GoToLineBar(CodeEditor *editor);

    void activate();   // shows the bar with the current line filled in, and focuses it
    QLineEdit *input() const { return m_input; }
    // Jumps to what the field says; false (and the field turns red) when it is not line[:col].
    bool accept();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void close();

    CodeEditor *m_editor;
    QLineEdit *m_input;
    QLabel *m_range;
};

} // namespace Gatehouse
