// UrlEdit: the try-it console's URL field; {path parameters} are highlighted and Tab walks them.
#pragma once

#include <QLineEdit>

namespace Gatehouse {

class UrlEdit : public QLineEdit
{
    Q_OBJECT
public:
    explicit UrlEdit(QWidget *parent = nullptr);

    // Selects the next {placeholder} after the cursor or selection; with `wrap`, the first one when
    // none follows. False when there is none to select.
    bool selectNextPlaceholder(bool wrap = true);

protected:
    bool focusNextPrevChild(bool next) override;
    bool event(QEvent *event) override;

private:
    void updateHighlight();
};

} // namespace Gatehouse
