package com.hirechat.infra;
