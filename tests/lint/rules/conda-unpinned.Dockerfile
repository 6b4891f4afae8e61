FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN conda install -y -c conda-forge numpy pandas=2.*
RUN mamba create -n app python
# quiet
RUN conda install -y -c conda-forge numpy=1.26.4 pandas==2.2.1
RUN micromamba install -y -n base -f env.yaml && conda clean -a
