# escape=`
FROM --platform=windows/amd64 mcr.microsoft.com/windows/servercore:ltsc2022@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN powershell -Command `
    Invoke-WebRequest https://example.com/setup.exe -OutFile C:\setup.exe
RUN apt-get install -y `
# a comment inside the continuation
    C:\tools\x.deb curl
