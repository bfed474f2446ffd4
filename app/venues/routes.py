from flask import render_template

from app.core.auth import public
from app.venues import bp


@bp.route("/")
@public
def index():
    return render_template("errors/error.html", code=200, title="Venues", text="")
