package com.hirechat.web;
