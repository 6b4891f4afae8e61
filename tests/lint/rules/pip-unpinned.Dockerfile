FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN pip install --no-cache-dir flask gunicorn==21.2.0
RUN python3 -m pip install --upgrade pip setuptools
RUN pip install 'requests==2.31.*'
RUN pip install git+https://github.com/psf/requests.git@main git+ssh://git@github.com/acme/lib.git
# quiet
RUN pip3 install --no-cache-dir 'flask==3.0.2' gunicorn==21.2.0
RUN pip install --no-deps . /wheels/app-1.0-py3-none-any.whl
RUN pip install -c constraints.txt flask
RUN pip install git+https://github.com/psf/requests.git@0123456789abcdef0123456789abcdef01234567#egg=requests
